"""The honest answer to 'is this helping me?', in words and in a chart."""

from __future__ import annotations

from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

from ontspan import library
from ontspan.core.i18n import N_, _, ngettext
from ontspan.core.progress import Insight, insight
from ontspan.store.journal import Journal

DEFAULT_PER_WEEK = 14  # the source's advice: daily, once during the day and once before sleep


def planned_per_week(journal: Journal) -> int:
    plan = journal.plan()
    return plan.per_week if plan else DEFAULT_PER_WEEK


def build_insight(journal: Journal, today: date) -> Insight:
    from dataclasses import replace

    from ontspan.services.path import times

    done = journal.practised()  # one read serves the insight and the path
    ins = insight(done, journal.nights(), planned_per_week(journal), today)
    path_times = times(journal, done)
    if journal.path_state() is not None or len(path_times) >= 2:
        ins = replace(ins, path_times=path_times)
    return ins


def _num(value: float, digits: int = 0) -> str:
    """2,7 in Dutch and German, 2.7 in English (Babel, in the language in force)."""
    from ontspan.core.i18n import number

    return number(round(value, digits), digits)


def nights(n: int) -> str:
    return ngettext("{n} night", "{n} nights", n)


def describe(ins: Insight, lang: str) -> list[str]:
    from ontspan.core.i18n import day

    say = library.phrases()

    def t(key: str, **values: object) -> str:
        return say(key, lang).format(**values)

    lines = [t("insight.title"), ""]
    for week in ins.weeks[-6:]:
        lines.append(t("insight.week", week=day(week.week_start), done=week.done,
                       planned=week.planned))
    if ins.weeks:
        lines.append(t("insight.no_guilt"))
        lines.append("")
    if ins.tension_drop_mean is not None:
        lines.append(t("insight.tension", drop=_num(ins.tension_drop_mean, 1),
                       n=ngettext("{n} rated session", "{n} rated sessions",
                                  ins.tension_sessions)))
        if ins.tension_trend_per_week is not None:
            trend = ins.tension_trend_per_week
            key = "up" if trend > 0.2 else "down" if trend < -0.2 else "flat"
            lines.append(t(f"insight.trend_{key}"))
        else:
            lines.append(t("insight.trend_early"))
        lines.append("")
    if ins.path_times:
        lines.append(t("insight.path_title"))
        for st in ins.path_times:
            length = (f"{st.minutes * 60:.0f} s" if st.minutes < 1 else f"{st.minutes:.0f} min")
            lines.append(t("insight.path_stage", n=st.stage.number, name=st.stage.name(lang),
                           sessions=st.sessions, length=length))
        lines.append("")
    if ins.before is not None:
        b = ins.before
        lines.append(t("insight.sleep_before", n=nights(b.nights), sol=_num(b.sol_min),
                       se=_num(b.se_pct), tst=_num(b.tst_min / 60, 1)))
    for monday, s in ins.since_weeks[-6:]:
        lines.append(t("insight.sleep_week", week=day(monday), n=nights(s.nights),
                       sol=_num(s.sol_min), se=_num(s.se_pct), tst=_num(s.tst_min / 60, 1)))
    if ins.before is not None or ins.since_weeks:
        lines.append("")
    # Translators: after "for" / "seit" / "nu" / "na": "10 days", "10 Tagen", "10 dagen".
    lines.append(t(f"insight.{ins.checkpoint}",
                   days=ngettext("{n} day", "{n} days", ins.days_practising)))
    if ins.weeks:
        lines.append("")
        e = ins.evening
        if e is None:
            lines.append(t("insight.evening_few"))
        else:
            lines.append(t("insight.evening", a=nights(e.n_a), b=nights(e.n_b), ma=_num(e.mean_a),
                           mb=_num(e.mean_b), diff=_num(e.diff), low=_num(e.low),
                           high=_num(e.high)))
            lines.append(t("insight.not_proof"))
    return lines


PLOT_WORDS = (N_("Practice per week"), N_("times"), N_("planned"), N_("Minutes to fall asleep"),
              N_("Sleep efficiency (%)"), N_("Drop in tension after practice"), N_("points"),
              N_("week of"))


# The chart shows the last half year: what a phone can show, and years of points would take
# seconds to draw (the words of the insight still weigh the whole journal).
CHART_WEEKS = 26


def plot(ins: Insight, journal: Journal, path: Path, lang: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # Narrow and large-type: it is read on phones as often as on desktops.
    with plt.rc_context({"font.size": 12, "svg.fonttype": "none"}):
        _draw(ins, journal, path, lang, plt)


def _draw(ins: Insight, journal: Journal, path: Path, lang: str, plt: Any) -> None:
    from ontspan.files import atomic_path

    words = [_(word) for word in PLOT_WORDS]
    fig, axes = plt.subplots(3, 1, figsize=(5.5, 10), constrained_layout=True)
    ax = axes[0]
    weeks = ins.weeks[-CHART_WEEKS:]
    since = weeks[0].week_start if weeks else None
    labels = [w.week_start.strftime("%d-%m") for w in weeks]
    ax.bar(labels, [w.done for w in weeks], color="#5b8a72")
    if weeks:
        ax.axhline(weeks[0].planned, color="#444", linestyle="--", label=words[2])
        ax.legend()
    ax.set_title(words[0])
    ax.set_ylabel(words[1])
    ax.set_xlabel(words[7])
    # Only the half year drawn is read (the insight has already weighed the rest).
    nights = journal.nights()[-CHART_WEEKS * 7:] if since is None else \
        journal.nights_since(since)
    ax = axes[1]
    if nights:
        days = [n.answers.night for n in nights]
        ax.plot(days, [n.sol_min for n in nights], marker="o", color="#3b6ea5", label=words[3])
        ax.set_ylabel(words[3])
        twin = ax.twinx()
        twin.plot(days, [n.se_pct for n in nights], marker="s", color="#c07a2c", label=words[4])
        twin.set_ylabel(words[4])
        # One legend for both lines (they share the panel, each with its own axis).
        lines = ax.get_lines() + twin.get_lines()
        ax.legend(lines, [line.get_label() for line in lines], loc="upper center",
                  bbox_to_anchor=(0.5, -0.22), ncol=1, frameon=False, fontsize=11)
        if ins.weeks and ins.weeks[0].week_start == since:  # practice began in view
            ax.axvline(ins.weeks[0].week_start, color="#999", linestyle=":")
    ax.set_title(f"{words[3]} / {words[4]}")
    ax = axes[2]
    drawn = [] if since is None else journal.sessions_since(datetime.combine(since, dtime()))
    rated = [p for p in drawn if p.tension_before is not None and p.tension_after is not None]
    ax.plot([p.started_at for p in rated],
            [p.tension_before - p.tension_after for p in rated],  # type: ignore[operator]
            marker="o", linestyle="", color="#5b8a72")
    ax.set_title(words[5])
    ax.set_ylabel(words[6])
    # Not fig.autofmt_xdate(): it hides the dates of every chart but the last.
    import matplotlib.dates as mdates
    from matplotlib.ticker import MaxNLocator

    # Whole days and whole counts only: hourly ticks repeated each date ("12-03 12-03 ...").
    stamps = [n.answers.night for n in nights] + [s.started_at.date() for s in rated]
    span = (max(stamps) - min(stamps)).days if stamps else 0
    for axis in axes[1:]:
        axis.xaxis.set_major_locator(mdates.DayLocator(interval=max(1, -(-span // 5))))  # type: ignore[no-untyped-call]
        axis.xaxis.set_major_formatter(mdates.DateFormatter("%d-%m"))  # type: ignore[no-untyped-call]
        axis.tick_params(axis="x", labelrotation=30)
    axes[0].yaxis.set_major_locator(MaxNLocator(integer=True))
    axes[2].yaxis.set_major_locator(MaxNLocator(integer=True))
    drops = [s.tension_before - s.tension_after for s in rated]  # type: ignore[operator]
    axes[2].set_ylim(min([0, *drops]) - 0.5, max([1, *drops]) + 0.5)  # zero always in view
    fmt = path.suffix.lower().lstrip(".")
    with atomic_path(path) as tmp:
        fig.savefig(str(tmp), format=fmt)
    plt.close(fig)
