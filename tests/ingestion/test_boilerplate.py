from ingestion.boilerplate import Line, is_contents_page, strip_boilerplate


def _page(n: int, body: list[str]) -> list[Line]:
    lines = [Line(text="Constructive comfort | The Health Foundation", size=8, box=0)]
    lines += [Line(text=t, size=11, box=1) for t in body]
    lines.append(Line(text=str(n), size=8, box=2))
    return lines


def test_running_headers_and_page_numbers_removed_prose_kept() -> None:
    pages = [
        _page(
            n,
            [
                f"Finding {n}: teams with protected time improved {n * 3}% faster.",
                "Second line of the same paragraph.",
                f"Third line on page {n}.",
            ],
        )
        for n in range(1, 6)
    ]
    cleaned = strip_boilerplate(pages)
    texts = [[line.text for line in page] for page in cleaned]
    assert all("Constructive comfort | The Health Foundation" not in t for t in texts)
    assert all(not any(x.isdigit() for x in t) for t in texts)
    assert texts[2][0].startswith("Finding 3: teams with protected time")
    assert all(len(t) == 3 for t in texts)


def test_contents_page_dropped() -> None:
    toc = [Line(text="Contents", size=16, box=0)] + [
        Line(text=f"Chapter {i} ........ {i * 4}", size=11, box=1) for i in range(1, 6)
    ]
    assert is_contents_page(toc)
    body = [Line(text="Contents of a ward cupboard were audited.", size=11, box=0)]
    assert not is_contents_page(body)
    assert strip_boilerplate([toc, body]) == [[], body]
