"""``/changebot insights``: anonymous barrier trends, sent to the admin's DM as text and a chart.

The counts come from the shared store (``bot.state.insights.weekly_insights``, the last 12
weeks, every count under 5 already ``<5``). The admin's DM gets them as text first (for screen
readers) and then the chart as a PNG, uploaded with Slack's current upload API
(``Poster.upload``). Without matplotlib (the ``bench`` extra) the text goes alone, with a line
saying how to get the chart. The counts go only to the admin's own DM, never to the channel the
command was typed in.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from bot.slack.flows.permissions import Actor
from bot.slack.render.blocks import Rendered, notice_message
from bot.slack.render.insights import (
    CHART_NEEDS_MATPLOTLIB,
    chart_alt_text,
    chart_labels,
    insights_message,
)
from bot.slack.server.context import SlackRuntime
from bot.state.insights import Insights, weekly_insights
from bot.tools.insights_chart import ChartUnavailable, draw_insights_chart

logger = logging.getLogger(__name__)
WEEKS = 12
SENT = "I've sent the insights for the last 12 weeks to our DM: the counts as text, then the chart."
SENT_TEXT_ONLY = (
    "I've sent the insights for the last 12 weeks to our DM as text. The chart needs "
    "matplotlib, which is missing from this installation (`pip install matplotlib`)."
)
CHART_FAILED = (
    "I've sent the counts to our DM, but Slack did not take the chart. Please try again later."
)
CHART_NEEDS_SCOPE = (
    "I've sent the counts to our DM, but Slack refused the chart: changebot needs the "
    "`files:write` scope. Reinstall the app from the current manifest "
    "(`bot/slack/manifest.yaml`) to add it."
)
NO_DM = "I couldn't post in our DM. Open a DM with changebot and try again."


def current_insights(runtime: SlackRuntime) -> Insights:
    """The last 12 weeks up to the runtime's clock (tests move it)."""
    return weekly_insights(runtime.core.store, runtime.clock(), weeks=WEEKS)


def chart_png(insights: Insights, runtime: SlackRuntime) -> bytes | None:
    """The chart's PNG, or None when matplotlib is not installed."""
    try:
        png, _text = draw_insights_chart(insights, chart_labels(runtime.core.framework))
    except ChartUnavailable:
        logger.info("insights chart unavailable: matplotlib is not installed")
        return None
    return png


def send_insights(runtime: SlackRuntime, actor: Actor) -> Rendered:
    """DM the admin the counts and the chart; returns the private reply to the command."""
    insights = current_insights(runtime)
    png = chart_png(insights, runtime)
    channel = runtime.poster.dm_channel(actor.user_id)
    if channel is None:
        return notice_message(NO_DM)
    counts = insights_message(
        insights, runtime.core.framework, note="" if png is not None else CHART_NEEDS_MATPLOTLIB
    )
    if runtime.poster.post(channel, counts) is None:
        return notice_message(NO_DM)
    if png is None:
        return notice_message(SENT_TEXT_ONLY)
    day = datetime.fromtimestamp(runtime.clock(), tz=UTC).date().isoformat()
    problem = runtime.poster.upload(
        channel,
        f"changebot-insights-{day}.png",
        png,
        title=f"Barrier trends, {WEEKS} weeks to {day}",
        alt_txt=chart_alt_text(insights),
    )
    if problem is not None:
        return notice_message(CHART_NEEDS_SCOPE if problem == "missing_scope" else CHART_FAILED)
    logger.info("insights sent weeks=%d chart=yes", len(insights.weeks))
    return notice_message(SENT)
