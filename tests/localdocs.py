"""A fictional trust's own documents, one per format, generated for the journey tests.

Each states a few facts a colleague would ask about (who leads, when, how many), so a test can
check that the answer leads with the fact and cites the document by its own title.
"""

from __future__ import annotations

from pathlib import Path

from tests.pdfgen import titled_pdf, unruled_table_pdf

VIRTUAL_WARD_MD = """---
title: Riverside virtual ward operating guide
---
# Riverside virtual ward operating guide

## Capacity

The Riverside virtual ward can look after 40 patients at a time, monitored from the hub at
Kingsmead House. Referrals come from the acute medical unit and from community matrons.
The hub is open: Monday to Friday 08:30 to 20:00, Saturday and Sunday 10:00 to 16:00.

## Rest breaks

If a rest break is missed, staff may claim a payment of 30 minutes. Claims more than 3 months old
are not paid.

## Staffing

The virtual ward is run by the frailty team, with a consultant geriatrician on call each day.

## Equipment

Beds and hoists for patients at home are ordered from the Community Equipment Service, which
delivers within 48 hours.

## Nights

From 20:00 to 08:30, calls to the hub are answered by the nurse in charge of the inpatient unit
at Kingsmead House, with the on-call registrar as back-up.

## Venepuncture

Venepuncture for virtual ward patients is offered at a walk-in session at Kingsmead House,
Monday to Friday 07:30 to 09:30. Patients who did not attend two booked home visits in a row are
discharged back to their GP practice.

## Eligibility

Adults referred by the acute medical unit or a community matron can be admitted to the virtual
ward, including people living in care homes. Patients who need oxygen started at home are not
eligible and stay on an acute ward.
"""

LOUNGE_LINES = (
    "The discharge lounge pilot is led by Amara Pretorius, lead nurse for patient flow.",
    "The lounge opens at 8am and takes patients whose discharge letters are ready.",
    "During the pilot the lounge moved 31 patients a day on average out of ward beds.",
    "The share of patients discharged by midday rose from 18% to 34%.",
    "Over the 12 weeks, about 600 bed hours were freed after 17:00 on the medical wards.",
)

EPR_PARAGRAPHS = (
    "The new electronic patient record (EPR) goes live on 14 March 2027, starting with the "
    "emergency department and the medical wards.",
    "Training for ward staff runs for six weeks before go-live, in two-hour sessions.",
    "Ward managers book training slots through the learning hub on the intranet.",
    "Programme owner: Dr Nia Roberts, Chief Clinical Information Officer.",
    "For training questions, ring the EPR support desk on 0113 496 0100 or email "
    "epr.support@riverside.nhs.uk.",
)

EPR_PAUSE = (
    "fewer than 80% of ward staff have finished training; or",
    "the data migration test fails twice.",
)

FALLS_HTML = """<!doctype html>
<html><head><title>Riverside community falls pathway</title></head>
<body><main>
<h1>Riverside community falls pathway</h1>
<p>The falls pathway sends a paramedic and an occupational therapist together to people who
have fallen at home, aiming to arrive within two hours.</p>
<p>The pathway is run by the community therapy service from Mondays to Saturdays.</p>
<p>Falls with a suspected hip fracture are not seen by the pathway. They go straight to the
orthogeriatric team at Riverside General.</p>
<p>Referrals are taken from GPs and from the ambulance service's ECPs (emergency care
practitioners).</p>
<p>The pathway does not accept:</p>
<ul><li>people who are already in hospital;</li>
<li>a fall with a head injury in someone taking anticoagulants.</li></ul>
<h2>Booking line opening hours</h2>
<table><tr><th>Day</th><th>Phone lines</th></tr>
<tr><td>Monday to Friday</td><td>08:00 to 18:00</td></tr>
<tr><td>Saturday</td><td>09:00 to 12:30</td></tr></table>
<p>A falls alarm or pendant that stops working is an urgent fault. Report it to the telecare
desk on 0113 496 0222, staffed 24 hours a day.</p>
</main></body></html>
"""


# a bulletin typed as plain text: headings marked by rules and capitals, initials in an action
NETWORK_BULLETIN_TXT = """\
From: Network Office <network.office@nhs.example>
To: All stroke staff
Date: Friday 6 February 2026
Subject: Riverside stroke network bulletin - March 2026

=====================================================================
  RIVERSIDE STROKE NETWORK
=====================================================================

Present at the February huddle: Paul Achebe (PA) Clinical Team Manager, Riverside
Ambulance Service; Mira Shah (MS) Network Manager.

---------------------------------------------------------------------
1. THROMBECTOMY HOTLINE
---------------------------------------------------------------------
The thrombectomy hotline at the neuroscience centre is 0113 496 0457, answered by the on-call
interventional neuroradiologist.
PA proposed that ambulance control take a pre-alert when the scan is requested.
ACTION 48: PA to confirm the scan-stage pre-alert with ambulance control by 31/01/2026.

---------------------------------------------------------------------
2. SAVE THE DATE - NETWORK STROKE STUDY DAY, THURSDAY 21 MAY 2026
---------------------------------------------------------------------
Kelbridge Education Centre (Lecture Theatre 1), 09:00-16:30.
Free for network staff; places limited to 120.

ACTION LOG
Ref     Action                                          Owner   Due
------  ----------------------------------------------  ------  ----------
N26/04  Book the study day venue, catering and the      MS      13/03/2026
        overflow room
N26/05  Circulate the thrombolysis audit to every       MS      27/03/2026
        site lead, incl. Tarnside
"""


# an email thread saved from Outlook: replies quoted with ">", a signature with a direct dial
PHARMACIST_COVER_EMAIL_TXT = """\
Subject: RE: FW: SMR backlog and pharmacist cover - Marden Downs PCN

From:    Sunil Varma <sunil.varma@riverside-fed.example.nhs.uk>
To:      Owen Rickard <owen.rickard@mardendowns.example.nhs.uk>
Date:    Thursday 5 March 2026 11:42

Hi Owen,

Costs as promised. The locum day is 7.5 hours at £48 an hour, so £360 a week. The care home
residents on the list are reviewed first.

Kind regards,

Sunil Varma
Lead Clinical Pharmacist
Riverside GP Federation
Direct dial: 01632 960318

-----Original Message-----
From:    Sunil Varma
Sent:    Wednesday 4 March 2026 09:18
To:      Owen Rickard
Subject: RE: FW: SMR backlog and pharmacist cover - Marden Downs PCN

> Morning Owen,
>
> I can offer the following while Aisha Begum is on maternity leave:
>
>  - Beth Carne, clinical pharmacist from Kestle Valley, two days a week (Mondays and
>    Thursdays) from 16 March to 29 May 2026.
>  - A locum pharmacist one day a week (Fridays) for the same period.
>
> Provisional SMR backlog by practice:
>   Lanwith 128 patients, oldest waiting since October
>   Marden Surgery 121 patients
>   Ashcombe Lane 91 patients
>
> Sunil

********************************************************************
This message may contain confidential information. If you are not the
intended recipient please inform the sender and delete it.
********************************************************************
"""


def write_local_docs(folder: Path) -> Path:
    """Markdown, PDF (one with a table drawn without cell borders), Word, HTML and plain-text
    documents of the fictional Riverside trust."""
    import docx

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "virtual-ward-guide.md").write_text(VIRTUAL_WARD_MD, encoding="utf-8")
    (folder / "falls-pathway.html").write_text(FALLS_HTML, encoding="utf-8")
    (folder / "network-bulletin.txt").write_text(NETWORK_BULLETIN_TXT, encoding="utf-8")
    (folder / "RE_ FW_ SMR backlog.txt").write_text(PHARMACIST_COVER_EMAIL_TXT, encoding="utf-8")

    title = "Discharge lounge pilot evaluation"
    titled_pdf(folder / "discharge-lounge-pilot.pdf", title, LOUNGE_LINES, meta_title=title)
    unruled_table_pdf(folder / "school-nursing-report.pdf", "School nursing quarterly report")

    document = docx.Document()
    document.core_properties.title = "Electronic patient record programme plan"
    document.add_heading("Electronic patient record programme plan", level=0)
    document.add_heading("Go-live", level=1)
    for paragraph in EPR_PARAGRAPHS:
        document.add_paragraph(paragraph)
    document.add_paragraph("Go-live is paused if:")
    for item in EPR_PAUSE:
        document.add_paragraph(item, style="List Bullet")
    document.save(str(folder / "epr-plan.docx"))
    return folder
