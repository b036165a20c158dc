"""Sharp questions to ask when a message is too thin to diagnose with confidence."""

from __future__ import annotations

from knowledge.framework import BarrierId

GENERAL = (
    "What is the change you are trying to make, and who needs to do something differently?",
    "What happens when you try: do people not see the need, not want to, not have the time, "
    "or not know how?",
    "What have you already tried, and what happened?",
)

BY_BARRIER: dict[BarrierId, str] = {
    "recognition": "Do the people involved agree there is a problem, and have they seen the data?",
    "motivation": "Do people want this change, or is something (past projects, incentives, "
    "feeling unheard) putting them off?",
    "headspace": "Does anyone have protected time for this, or is everything going on keeping "
    "services running?",
    "capability": "Does the team have the skills, data and support it needs to carry this out?",
}
