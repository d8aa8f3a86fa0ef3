"""The pack's charts, drawn by matplotlib to SVG (the Agg backend, no window; Figure objects,
never pyplot, so two builds in two threads do not share a drawing). Every chart has a title,
axis labels, the n it stands on, and a text equivalent listing each value it shows.
Text stays text in the SVG (svg.fonttype none), so names in any script are drawn by the
reader's fonts and a PDF keeps them searchable. The words (titles, axes, legends, the text
equivalent) are in the pack's language: they are drawn while the build forces it. In a
language other than English the words are drawn as outlines (svg.fonttype path): matplotlib
shapes Thai right, while WeasyPrint lays SVG text out letter by letter, which leaves Thai
marks apart from their consonants in the PDF; the caption below each chart keeps its words
as text."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from flask_babel import gettext  # noqa: E402
from matplotlib.figure import Figure as MplFigure  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app.core.i18n import DEFAULT_LANGUAGE, current_language, format_number  # noqa: E402
from app.employment import codes  # noqa: E402
from app.employment.models import RATING_COLUMNS  # noqa: E402
from app.extensions import db  # noqa: E402
from app.packs.content import Chart, PackContent  # noqa: E402
from app.reports.indicators import compute, make_selection  # noqa: E402
from app.reports.listing import page_value  # noqa: E402

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
    style = STYLE if current_language() == DEFAULT_LANGUAGE else {**STYLE, "svg.fonttype": "path"}
    with matplotlib.rc_context(style):
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
            words.append(_values(label, (f"{y} {page_value(v, 'ratio')}"
                                         for y, v in zip(content.years, values, strict=False))))
        n = _n(getattr(content.get(y, n_key), "denominator", 0) for y in content.years)
        ax.set_title(_with_n(title, n))
        ax.set_xlabel(gettext("Cohort (graduation year)"))
        ax.set_ylabel(y_label)
        _percent_axis(ax)
        ax.legend(loc="lower right", frameon=False)
        svg = _svg(fig)
    return Chart(key, title, svg, n, _described(title, n, words))


def _with_n(title: str, n: int) -> str:
    return gettext("%(title)s (n = %(n)s)", title=title, n=format_number(n))


def _values(label: str, values) -> str:
    """"Response rate: 2022 72.5 %, 2023 80.0 %" (a list joined with commas)."""
    return gettext("%(label)s: %(values)s", label=label, values=", ".join(values))


def _described(title: str, n: int, words: list[str]) -> str:
    """A chart's text equivalent: its title, n, and every value it shows."""
    return gettext("%(title)s, n = %(n)s: %(values)s.", title=title, n=format_number(n),
                   values="; ".join(words))


def response_and_employment(content: PackContent) -> Chart:
    return _years_line(content, "rates", gettext("Response and employment rates"),
                       {gettext("Response rate (gross)"): "M1.gross",
                        gettext("Employment rate (labour force)"): "M2.labour_force"},
                       "M1.gross", gettext("Share"))


def waiting_bands(content: PackContent) -> Chart:
    bands = {gettext("Under 3 months"): "M5.band_lt3", gettext("3 to 6 months"): "M5.band_3_6",
             gettext("Over 6 months"): "M5.band_gt6"}
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
            words.append(_values(label, (f"{y} {format_number(v, 0)}"
                                         for y, v in zip(years, values, strict=False))))
        n = _n(getattr(content.get(y, "M5.band_lt3"), "denominator", 0) for y in content.years)
        title = gettext("Waiting time for the first job")
        ax.set_title(_with_n(title, n))
        ax.set_xlabel(gettext("Cohort (graduation year)"))
        ax.set_ylabel(gettext("Employed graduates"))
        ax.legend(frameon=False, fontsize=8)
        svg = _svg(fig)
    return Chart("waiting", title, svg, n, _described(
        gettext("Employed graduates by months to the first job"), n, words))


def job_match(content: PackContent) -> Chart:
    keys = {gettext("Related to the training (4-5)"): "M6.high",
            **{gettext("Needs %(level)s", level=gettext(v).lower()): f"M7.{k}"
               for k, v in codes.EDUCATION_LEVELS.items() if k == "same"}}
    return _years_line(content, "match", gettext("Job match"), keys, "M6.high",
                       gettext("Share of employed"))


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
    title = gettext("Median monthly income by programme (%(currency)s)",
                    currency=currency or gettext("no currency"))
    with matplotlib.rc_context(STYLE):
        fig = _figure(height=max(2.2, 0.35 * len(labels) + 1.2))
        ax = fig.add_subplot()
        ax.barh(labels, values, color=COLOURS[0])
        ax.invert_yaxis()
        ax.set_title(_with_n(title, n))
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_number(x, 0)))
        ax.set_xlabel(gettext("Median monthly income, %(currency)s", currency=currency)
                      if currency else gettext("Median monthly income"))
        ax.set_ylabel(gettext("Programme"))
        svg = _svg(fig)
    words = [f"{label} {page_value(v, 'money', currency)} (n = {format_number(c, 0)})"
             for label, v, c in zip(labels, values, counts, strict=False)]
    return Chart("income", title, svg, n, _described(
        gettext("%(title)s, cohorts %(years)s", title=title, years=content.years_label), n,
        words))


def competency_gap(content: PackContent) -> Chart:
    """Mean level at graduation and required now (1-5), from M10's rated records."""
    names, at_grad, now, counts = [], [], [], []
    for key, name in codes.COMPETENCIES.items():
        result = compute("M10", content.selection, key)
        rated = result.counted.query.subquery()
        grad, required = RATING_COLUMNS[key]
        g, r, count = db.session.execute(select(
            func.avg(rated.c[grad]), func.avg(rated.c[required]), func.count())).one()
        names.append(gettext(name))
        at_grad.append(float(g or 0))
        now.append(float(r or 0))
        counts.append(int(count or 0))
    n = max(counts, default=0)
    positions = list(range(len(names)))
    with matplotlib.rc_context(STYLE):
        fig = _figure(height=3.6)
        ax = fig.add_subplot()
        ax.barh([p - 0.2 for p in positions], at_grad, height=0.4, color=COLOURS[0],
                label=gettext("At graduation"))
        ax.barh([p + 0.2 for p in positions], now, height=0.4, color=COLOURS[1],
                label=gettext("Required now"))
        ax.set_yticks(positions, names)
        ax.invert_yaxis()
        ax.set_xlim(0, 5)
        ax.set_title(gettext("Competency gap (n = %(n)s respondents who rated)",
                             n=format_number(n)))
        ax.set_xlabel(gettext("Mean level (1 very low - 5 very high)"))
        ax.set_ylabel(gettext("Competency"))
        ax.legend(frameon=False, fontsize=8, loc="lower right")
        svg = _svg(fig)
    words = [gettext("%(name)s %(at)s at graduation, %(now)s required now", name=name,
                     at=format_number(g, 1), now=format_number(r, 1)) if c else
             gettext("%(name)s not rated", name=name)
             for name, g, r, c in zip(names, at_grad, now, counts, strict=True)]
    title = gettext("Competency gap")
    return Chart("gap", title, svg, n, _described(title, n, words))


def employer_satisfaction(content: PackContent) -> Chart:
    levels = list(codes.SATISFACTION_LEVELS)
    names = [gettext(v) for v in codes.COMPETENCIES.values()]
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
                    label=gettext(codes.SATISFACTION_LEVELS[level]))
            left = [a + b for a, b in zip(left, shares[level], strict=False)]
        ax.invert_yaxis()
        from matplotlib.ticker import PercentFormatter

        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_title(gettext("Employer satisfaction per competency (n = %(n)s answers)",
                             n=format_number(answers)))
        ax.set_xlabel(gettext("Share of employer answers"))
        ax.set_ylabel(gettext("Competency"))
        ax.legend(frameon=False, fontsize=8, ncols=4, loc="upper center",
                  bbox_to_anchor=(0.5, -0.18))
        svg = _svg(fig)
    words = [_values(name, (f"{gettext(codes.SATISFACTION_LEVELS[lv]).lower()} "
                            f"{page_value(shares[lv][i], 'ratio')}" for lv in levels))
             if rated[i] else gettext("%(name)s: not rated", name=name)
             for i, name in enumerate(names)]
    return Chart("satisfaction", gettext("Employer satisfaction per competency"), svg, answers,
                 _described(gettext("Employer satisfaction"), answers, words))


def engagement(content: PackContent) -> Chart:
    return _years_line(content, "engagement", gettext("Engagement over time"),
                       {gettext("Engagement rate"): "E1.rate"}, "E1.rate",
                       gettext("Share of contactable"))


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

