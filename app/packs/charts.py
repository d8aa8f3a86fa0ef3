"""The pack's charts, drawn by matplotlib to SVG (the Agg backend, no window; Figure objects,
never pyplot, so two builds in two threads do not share a drawing). Every chart has a title,
axis labels, the n it stands on, and a text equivalent listing each value it shows.
Text stays text in the SVG (svg.fonttype none), so names in any script are drawn by the
reader's fonts and a PDF keeps them searchable."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure as MplFigure  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app.employment import codes  # noqa: E402
from app.employment.models import RATING_COLUMNS  # noqa: E402
from app.extensions import db  # noqa: E402
from app.packs.content import Chart, PackContent  # noqa: E402
from app.reports.indicators import compute, make_selection  # noqa: E402
from app.reports.listing import format_value  # noqa: E402

STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "alumnet-pack",  # the same figures draw the same SVG
    "font.family": ["DejaVu Sans", "Noto Sans", "Noto Sans Thai", "Noto Sans Myanmar",
                    "Noto Sans Khmer"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
COLOURS = ("#1f5f99", "#e08a00", "#3c9a5f", "#b8433c", "#7b5ea7", "#6b6b6b")


def _svg(fig: MplFigure) -> str:
    out = io.StringIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = out.getvalue()
    return text[text.index("<svg"):]  # without the XML prolog: it is embedded


def _figure(width: float = 6.4, height: float = 3.0) -> MplFigure:
    with matplotlib.rc_context(STYLE):
        return MplFigure(figsize=(width, height), layout="constrained")


def _percent_axis(ax) -> None:
    from matplotlib.ticker import PercentFormatter

    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(0, 1.05)


def _n(values: Sequence[float | None]) -> int:
    return int(sum(v or 0 for v in values))


def _years_line(content: PackContent, key: str, title: str, keys: dict[str, str],
                n_key: str, y_label: str) -> Chart:
    """Shares (0-1) per cohort year, one line per indicator of `keys` (label -> key)."""
    with matplotlib.rc_context(STYLE):
        fig = _figure()
        ax = fig.add_subplot()
        words = []
        for i, (label, k) in enumerate(keys.items()):
            values = [getattr(content.get(y, k), "value", None) for y in content.years]
            ax.plot([str(y) for y in content.years], [v if v is not None else float("nan")
                                                      for v in values],
                    marker="o", color=COLOURS[i], label=label)
            words.append(f"{label}: " + ", ".join(
                f"{y} {format_value(v, 'ratio')}"
                for y, v in zip(content.years, values, strict=False)))
        n = _n(getattr(content.get(y, n_key), "denominator", 0) for y in content.years)
        ax.set_title(f"{title} (n = {n:,})")
        ax.set_xlabel("Cohort (graduation year)")
        ax.set_ylabel(y_label)
        _percent_axis(ax)
        ax.legend(loc="lower right", frameon=False)
        svg = _svg(fig)
    return Chart(key, title, svg, n, f"{title}, n = {n:,}. " + "; ".join(words) + ".")


def response_and_employment(content: PackContent) -> Chart:
    return _years_line(content, "rates", "Response and employment rates",
                       {"Response rate (gross)": "M1.gross",
                        "Employment rate (labour force)": "M2.labour_force"},
                       "M1.gross", "Share")


def waiting_bands(content: PackContent) -> Chart:
    bands = {"Under 3 months": "M5.band_lt3", "3 to 6 months": "M5.band_3_6",
             "Over 6 months": "M5.band_gt6"}
    years = [str(y) for y in content.years]
    with matplotlib.rc_context(STYLE):
        fig = _figure()
        ax = fig.add_subplot()
        bottom = [0.0] * len(years)
        words = []
        for i, (label, k) in enumerate(bands.items()):
            values = [getattr(content.get(y, k), "value", None) or 0 for y in content.years]
            ax.bar(years, values, bottom=bottom, color=COLOURS[i], label=label)
            bottom = [b + v for b, v in zip(bottom, values, strict=False)]
            words.append(f"{label}: " + ", ".join(
                f"{y} {v:,.0f}" for y, v in zip(years, values, strict=False)))
        n = _n(getattr(content.get(y, "M5.band_lt3"), "denominator", 0) for y in content.years)
        ax.set_title(f"Waiting time for the first job (n = {n:,})")
        ax.set_xlabel("Cohort (graduation year)")
        ax.set_ylabel("Employed graduates")
        ax.legend(frameon=False, fontsize=8)
        svg = _svg(fig)
    return Chart("waiting", "Waiting time for the first job", svg, n,
                 f"Employed graduates by months to the first job, n = {n:,}. "
                 + "; ".join(words) + ".")


def job_match(content: PackContent) -> Chart:
    keys = {"Related to the training (4-5)": "M6.high",
            **{f"Needs {v.lower()}": f"M7.{k}" for k, v in codes.EDUCATION_LEVELS.items()
               if k == "same"}}
    return _years_line(content, "match", "Job match", keys, "M6.high", "Share of employed")


def income_by_programme(content: PackContent) -> Chart:
    """Median monthly income (the institution's currency) per programme, years together."""
    labels, values, counts, currency = [], [], [], None
    for p in content.programmes:
        sel = make_selection(content.institution, [p], content.years,
                             content.reference_months, content.selection.params)
        result = compute("M8", sel, "median_all")
        currency = result.currency
        labels.append(p.code)
        values.append(result.value or 0)
        counts.append(result.denominator or 0)
    n = _n(counts)
    title = f"Median monthly income by programme ({currency or 'no currency'})"
    with matplotlib.rc_context(STYLE):
        fig = _figure(height=max(2.2, 0.35 * len(labels) + 1.2))
        ax = fig.add_subplot()
        ax.barh(labels, values, color=COLOURS[0])
        ax.invert_yaxis()
        ax.set_title(f"{title} (n = {n:,})")
        from matplotlib.ticker import StrMethodFormatter

        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.set_xlabel(f"Median monthly income, {currency or ''}".strip(", "))
        ax.set_ylabel("Programme")
        svg = _svg(fig)
    words = "; ".join(f"{label} {format_value(v, 'money', currency)} (n = {c:,.0f})"
                      for label, v, c in zip(labels, values, counts, strict=False))
    return Chart("income", title, svg, n, f"{title}, cohorts {content.years_label}, "
                 f"n = {n:,}: {words}.")


def competency_gap(content: PackContent) -> Chart:
    """Mean level at graduation and required now (1-5), from M10's rated records."""
    names, at_grad, now, counts = [], [], [], []
    for key, name in codes.COMPETENCIES.items():
        result = compute("M10", content.selection, key)
        rated = result.counted.query.subquery()
        grad, required = RATING_COLUMNS[key]
        g, r, count = db.session.execute(select(
            func.avg(rated.c[grad]), func.avg(rated.c[required]), func.count())).one()
        names.append(name)
        at_grad.append(float(g or 0))
        now.append(float(r or 0))
        counts.append(int(count or 0))
    n = max(counts, default=0)
    positions = list(range(len(names)))
    with matplotlib.rc_context(STYLE):
        fig = _figure(height=3.6)
        ax = fig.add_subplot()
        ax.barh([p - 0.2 for p in positions], at_grad, height=0.4, color=COLOURS[0],
                label="At graduation")
        ax.barh([p + 0.2 for p in positions], now, height=0.4, color=COLOURS[1],
                label="Required now")
        ax.set_yticks(positions, names)
        ax.invert_yaxis()
        ax.set_xlim(0, 5)
        ax.set_title(f"Competency gap (n = {n:,} respondents who rated)")
        ax.set_xlabel("Mean level (1 very low - 5 very high)")
        ax.set_ylabel("Competency")
        ax.legend(frameon=False, fontsize=8, loc="lower right")
        svg = _svg(fig)
    words = "; ".join(f"{name} {g:.1f} at graduation, {r:.1f} required now" if c else
                      f"{name} not rated"
                      for name, g, r, c in zip(names, at_grad, now, counts, strict=True))
    return Chart("gap", "Competency gap", svg, n,
                 f"Competency gap, n = {n:,}: {words}.")


def employer_satisfaction(content: PackContent) -> Chart:
    levels = list(codes.SATISFACTION_LEVELS)
    names = list(codes.COMPETENCIES.values())
    shares = {level: [] for level in levels}
    answers, rated = 0, []
    for key in codes.COMPETENCIES:
        for level in levels:
            result = compute("M11", content.selection, f"{key}.{level}")
            shares[level].append(result.value or 0)
            answers = max(answers, int(result.denominator or 0))
        rated.append(bool(result.denominator))
    with matplotlib.rc_context(STYLE):
        fig = _figure(height=3.6)
        ax = fig.add_subplot()
        left = [0.0] * len(names)
        for i, level in enumerate(levels):
            ax.barh(names, shares[level], left=left, color=COLOURS[i],
                    label=codes.SATISFACTION_LEVELS[level])
            left = [a + b for a, b in zip(left, shares[level], strict=False)]
        ax.invert_yaxis()
        from matplotlib.ticker import PercentFormatter

        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_title(f"Employer satisfaction per competency (n = {answers:,} answers)")
        ax.set_xlabel("Share of employer answers")
        ax.set_ylabel("Competency")
        ax.legend(frameon=False, fontsize=8, ncols=4, loc="upper center",
                  bbox_to_anchor=(0.5, -0.18))
        svg = _svg(fig)
    words = "; ".join(
        (f"{name}: " + ", ".join(f"{codes.SATISFACTION_LEVELS[lv].lower()} "
                                 f"{format_value(shares[lv][i], 'ratio')}" for lv in levels))
        if rated[i] else f"{name}: not rated" for i, name in enumerate(names))
    return Chart("satisfaction", "Employer satisfaction per competency", svg, answers,
                 f"Employer satisfaction, n = {answers:,}: {words}.")


def engagement(content: PackContent) -> Chart:
    return _years_line(content, "engagement", "Engagement over time",
                       {"Engagement rate": "E1.rate"}, "E1.rate", "Share of contactable")


CHARTS = (response_and_employment, waiting_bands, job_match, income_by_programme,
          competency_gap, employer_satisfaction, engagement)


def draw_charts(content: PackContent) -> list[Chart]:
    return [draw(content) for draw in CHARTS]


def sparkline(values: Sequence[float | None], labels: Sequence[str], *,
              unit: str = "ratio") -> str:
    """A small trend chart (the dashboard's) as SVG: the values over `labels`. It has no
    words, only the years and values, so one drawing serves every language; the page around
    it gives its label and a text equivalent."""
    with matplotlib.rc_context({**STYLE, "font.size": 7}):
        fig = MplFigure(figsize=(2.4, 1.0), layout="constrained")
        ax = fig.add_subplot()
        ax.plot(list(labels), [v if v is not None else float("nan") for v in values],
                marker="o", markersize=3, color=COLOURS[0])
        if unit == "ratio":
            _percent_axis(ax)
        else:
            top = max((v for v in values if v is not None), default=0) or 1
            ax.set_ylim(0, top * 1.15)
        ax.tick_params(labelsize=6)
        return _svg(fig)

