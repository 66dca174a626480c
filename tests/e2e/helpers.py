from lms.demo import DEMO_PASSWORD


def sign_in(page, email, password=DEMO_PASSWORD):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")


# A chart is drawn when its canvas has a size and at least one painted pixel.
_CANVAS_DRAWN = """(id) => { const c = document.getElementById(id);
    if (!c || c.width === 0) return false;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    return d.some(v => v !== 0); }"""


def wait_for_chart(page, canvas_id: str, timeout_ms: int = 5_000) -> None:
    """Wait until Chart.js has painted the canvas (it draws on an animation frame after the
    page loads); a chart that never draws fails the test with a timeout."""
    page.wait_for_function(_CANVAS_DRAWN, arg=canvas_id, timeout=timeout_ms)
