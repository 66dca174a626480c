"""Phones and desktops: the diagnosis pages fit the screen they are read on.

A teacher reads the review before submitting and their result on a phone (390 × 844 CSS px,
a common Android and iPhone size); a head opens the school report and the growth between
rounds on a phone as often as at a desk. On a phone the page itself never scrolls sideways
(wide tables scroll inside their own box, which the keyboard can reach), and every chart names
every bar and axis point in full, inside its canvas. On a desktop (1366 × 768) the report's
teacher table does not squeeze its columns below what their headings and figures need.

The data is the demo region (30 teachers a school, a spring and an autumn round of the ready
instrument with its six long Kazakh area names), with a longer area name and a teacher with a
long double name added, as schools have them.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from diagnostics.models import Area, Response
from lms.models import User
from tests.e2e.helpers import sign_in, wait_for_chart

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
LONG_AREA_NAME = "Цифрлық білім беру ортасындағы кәсіби қарым-қатынас және ынтымақтастық"
LONG_TEACHER_NAME = "Жұмабекова-Сейітқасымова Гүлназира Нұрсұлтанқызы"

# The page's own horizontal overflow, and the elements that stick out of the viewport (to say
# in a failure what is too wide; elements inside a box that scrolls by itself do not count).
_PAGE_OVERFLOW = """() => {
  const width = window.innerWidth;
  const inScrollBox = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !inScrollBox(el)) {
      const classes = typeof el.className === 'string' ? el.className.trim().split(/\\s+/) : [];
      const id = el.id ? '#' + el.id : '';
      const name = `${el.tagName.toLowerCase()}${id}.${classes.join('.')}`;
      wide.push(`${name} right=${Math.round(box.right)}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width,
          wide: wide.slice(0, 8)};
}"""

# Every wide table's scrolling box: reachable by the keyboard and named for screen readers.
_SCROLL_BOXES = """() => Array.from(document.querySelectorAll('main table')).map((table) => {
  const box = table.closest('.table-responsive');
  return {table: table.id || table.className, box: !!box,
          tabindex: box && box.getAttribute('tabindex'), role: box && box.getAttribute('role'),
          label: box && (box.getAttribute('aria-label') || box.getAttribute('aria-labelledby')),
          overflows: table.getBoundingClientRect().width
            > (box || table.parentElement).clientWidth + 1};
})"""

# Where a chart's labels are drawn, from the Chart.js instance: each tick label's box (its
# lines measured in its font, turned by its rotation) and each radar point label's box must lie
# inside the canvas, and a category axis must name every category (none skipped for lack of room).
_CHART_PROBLEMS = """(id) => {
  const canvas = document.getElementById(id);
  const chart = Chart.getChart(canvas);
  const problems = [];
  if (!chart) return ['no chart on #' + id];
  const box = canvas.getBoundingClientRect();
  const parent = canvas.parentElement.getBoundingClientRect();
  if (box.left < parent.left - 1 || box.right > parent.right + 1)
    problems.push(`canvas ${Math.round(box.width)} px wide sticks out of its box`);
  if (box.right > window.innerWidth + 1) problems.push('canvas sticks out of the window');
  const W = chart.width, H = chart.height, ctx = chart.ctx, slack = 1;
  const outside = (l, r, t, b) => l < -slack || r > W + slack || t < -slack || b > H + slack;
  const text = (label) => (Array.isArray(label) ? label.join(' ') : String(label));
  for (const scale of Object.values(chart.scales)) {
    if (scale.type === 'radialLinear') {
      const labels = chart.data.labels;
      (scale._pointLabelItems || []).forEach((item, i) => {
        if (outside(item.left, item.right, item.top, item.bottom))
          problems.push(`radar label "${text(labels[i])}" cut: `
            + `${Math.round(item.left)}..${Math.round(item.right)} of ${W}`);
      });
      continue;
    }
    if (!scale.options.display || !scale.options.ticks.display) continue;
    const items = scale.getLabelItems();
    if (scale.type === 'category' && items.length < chart.data.labels.length)
      problems.push(`${scale.id} axis names ${items.length} of ${chart.data.labels.length}`);
    for (const item of items) {
      const lines = Array.isArray(item.label) ? item.label : [item.label];
      ctx.save();
      ctx.font = item.font.string;
      const w = Math.max(...lines.map((line) => ctx.measureText(line).width));
      ctx.restore();
      const lh = item.font.lineHeight, opt = item.options;
      const x0 = opt.textAlign === 'left' ? 0 : opt.textAlign === 'right' ? -w : -w / 2;
      const top = opt.textBaseline === 'top' ? item.textOffset
        : opt.textBaseline === 'bottom' ? item.textOffset - lh : item.textOffset - lh / 2;
      const y0 = top, y1 = top + lines.length * lh;
      const [tx, ty] = opt.translation, c = Math.cos(opt.rotation), s = Math.sin(opt.rotation);
      const xs = [], ys = [];
      for (const [x, y] of [[x0, y0], [x0 + w, y0], [x0, y1], [x0 + w, y1]]) {
        xs.push(tx + x * c - y * s); ys.push(ty + x * s + y * c);
      }
      const l = Math.min(...xs), r = Math.max(...xs), t = Math.min(...ys), b = Math.max(...ys);
      // Lines a little taller than the glyphs: half a line of slack vertically.
      if (l < -slack || r > W + slack || t < -lh / 2 || b > H + lh / 2)
        problems.push(`${scale.id} label "${text(item.label)}" cut: x ${Math.round(l)}..`
          + `${Math.round(r)} of ${W}, y ${Math.round(t)}..${Math.round(b)} of ${H}`);
    }
  }
  return problems;
}"""


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())  # two schools, spring and autumn rounds
    area = Area.objects.order_by("pk").last()
    area.name_kk = LONG_AREA_NAME
    area.save(update_fields=["name_kk"])
    User.objects.filter(email="teacher1.03@demo.ustaz.kz").update(full_name=LONG_TEACHER_NAME)


@pytest.fixture
def open_as(browser, live_server):
    contexts = []

    def open_as(email, viewport):
        context = browser.new_context(base_url=live_server.url, locale="kk-KZ", viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, email)
        return page

    yield open_as
    for context in contexts:
        context.close()


def phone_problems(page, name, *canvas_ids) -> list[str]:
    """What a reader of the page on a phone would meet: sideways scrolling of the page, a wide
    table the keyboard cannot scroll, a chart label cut or left out."""
    problems = []
    for canvas_id in canvas_ids:
        wait_for_chart(page, canvas_id)
        problems += [f"#{canvas_id}: {p}" for p in page.evaluate(_CHART_PROBLEMS, canvas_id)]
    page.screenshot(path=f"test-results/phone-{name}.png", full_page=True)
    measured = page.evaluate(_PAGE_OVERFLOW)
    if measured["scrollWidth"] > measured["innerWidth"]:
        problems.append(
            f"the page scrolls sideways ({measured['scrollWidth']} px in a "
            f"{measured['innerWidth']} px window); too wide: {measured['wide']}"
        )
    for box in page.evaluate(_SCROLL_BOXES):
        if not box["overflows"]:
            continue
        if not box["box"]:
            problems.append(f"table {box['table']} is wider than the screen")
        elif box["tabindex"] != "0" or box["role"] != "region" or not box["label"]:
            problems.append(f"the keyboard cannot reach or name the box of {box['table']}")
    return problems


def test_review_before_submitting_fits_a_phone(demo, open_as):
    page = open_as("teacher1.01@demo.ustaz.kz", PHONE)  # the autumn round is still open to them
    autumn = Response.objects.filter(teacher__email="teacher1.02@demo.ustaz.kz").latest("pk")
    page.goto(reverse("diagnostics:take", args=[autumn.round_id]))
    response = Response.objects.get(teacher__email="teacher1.01@demo.ustaz.kz", status="draft")
    page.goto(reverse("diagnostics:submit", args=[response.pk]))
    # Nothing answered yet: every page lists its required questions, by their text.
    assert page.locator(".missing-questions li").count() > 10
    problems = phone_problems(page, "review")
    # The questions still to answer are in view, not off to the side of their box.
    table = page.locator("main table").first
    if table.evaluate("(t) => t.scrollWidth > t.parentElement.clientWidth + 1"):
        problems.append("the questions left are off the screen, to the side of the table")
    assert not problems, "\n".join(problems)
    # How many of each page are answered is still said, under the page's title.
    first_page = page.locator("#review-table tbody td:first-child").first
    assert re.search(r"0 / \d+", first_page.inner_text())


def test_result_fits_a_phone_and_its_charts_name_every_area(demo, open_as):
    page = open_as("teacher1.02@demo.ustaz.kz", PHONE)  # took spring and autumn
    response = Response.objects.filter(teacher__email="teacher1.02@demo.ustaz.kz").latest("pk")
    page.goto(reverse("diagnostics:result", args=[response.pk]))
    problems = phone_problems(page, "result", "radar-chart", "bar-chart")
    assert not problems, "\n".join(problems)


def test_school_report_fits_a_phone_and_its_charts_name_every_level_and_area(demo, open_as):
    head = User.objects.get(email="head1@demo.ustaz.kz")
    page = open_as(head.email, PHONE)
    page.goto(reverse("diagnostics:school-report", args=[head.school_id]))
    assert page.locator("#teacher-table tbody tr").count() == 30
    problems = phone_problems(page, "report", "level-chart", "area-chart")
    assert not problems, "\n".join(problems)


def test_growth_fits_a_phone_and_its_chart_names_every_area(demo, open_as):
    head = User.objects.get(email="head1@demo.ustaz.kz")
    page = open_as(head.email, PHONE)
    page.goto(reverse("diagnostics:school-growth", args=[head.school_id]))
    assert page.locator("#teacher-change-table tbody tr").count() > 20
    problems = phone_problems(page, "growth", "growth-chart")
    assert not problems, "\n".join(problems)


# Each heading of the teacher table as wide as its longest word, and each figure on one line:
# nothing spills into the next column, and "72,4%" is not read as "72," and "4%".
# How many lines the text of an element takes.
_LINES = """(cell) => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  const tops = new Set();
  for (const rect of range.getClientRects()) if (rect.width > 0) tops.add(Math.round(rect.top));
  return tops.size;
}"""
_CRUSHED_CELLS = f"""() => {{
  const lines = {_LINES};
  const crushed = [];
  for (const cell of document.querySelectorAll('#teacher-table thead th')) {{
    if (cell.scrollWidth > cell.clientWidth + 1) crushed.push(cell.innerText.trim());
  }}
  for (const cell of document.querySelectorAll('#teacher-table tbody td.text-end')) {{
    if (lines(cell) > 1) crushed.push(`${{cell.innerText.trim()}} (on two lines)`);
  }}
  return [...new Set(crushed)].slice(0, 10);
}}"""


def test_school_report_teacher_table_keeps_its_columns_on_a_desktop(demo, open_as):
    head = User.objects.get(email="head1@demo.ustaz.kz")
    page = open_as(head.email, DESKTOP)
    page.goto(reverse("diagnostics:school-report", args=[head.school_id]))
    page.screenshot(path="test-results/desktop-report.png", full_page=True)
    problems = [f"column too narrow for: {text}" for text in page.evaluate(_CRUSHED_CELLS)]
    # A name of two words is read on one line; a long double name wraps between its words
    # (or at its hyphen), never inside one.
    for name in page.locator("#teacher-table tbody th").all():
        words = re.split(r"[\s-]+", name.inner_text().strip())
        if name.evaluate(_LINES) > (1 if len(words) <= 2 else len(words)):
            problems.append(f"name broken: {' '.join(words)}")
    # The table scrolls in its own box when it must; the page does not.
    measured = page.evaluate(_PAGE_OVERFLOW)
    if measured["scrollWidth"] > measured["innerWidth"]:
        problems.append(f"the page scrolls sideways; too wide: {measured['wide']}")
    assert not problems, "\n".join(problems[:12])
