from lms.demo import DEMO_PASSWORD


def sign_in(page, email, password=DEMO_PASSWORD):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")
