"""What a user does on the hub in the browser (Playwright + Debian's chromium): log in, the
Assignments panel, saving a notebook through their own server, grading in formgrader.

The hub's servers run with `--LabApp.expose_app_in_browser=True`, so `window.jupyterapp` is there.
"""
import re

from browser_support import ARTIFACTS

PAGE_TIMEOUT = 120_000  # ms; a user's first server start on two busy cores is slow
# Where MathJax came from, and how many formulas it typeset (MathJax 2 tags each with .MathJax).
MATHJAX_TYPESET = """() => ({
    src: Array.from(document.scripts, s => s.src).find(src => src.includes('MathJax.js')) || null,
    typeset: document.querySelectorAll('.MathJax, .MathJax_CHTML, mjx-container').length,
})"""


class Browser:
    """One user's browser context on the hub."""

    def __init__(self, browser, hub, user, name):
        self.hub, self.user, self.name = hub, user, name
        self.context = browser.new_context(viewport={"width": 1280, "height": 860})
        self.context.set_default_timeout(PAGE_TIMEOUT)
        self.page = self.context.new_page()
        self.shots = 0

    def screenshot(self, step, page=None):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        path = ARTIFACTS / f"hub-{self.name}-{self.shots:02d}-{step}.png"
        (page or self.page).screenshot(path=str(path))
        return path

    def log_in(self):
        """Log in on the hub's login page; wait until JupyterLab is up in the user's own server."""
        self.page.goto(f"{self.hub.url}/hub/login")
        self.page.fill("#username_input", self.user.pw_name)
        self.page.fill("#password_input", self.hub.password)
        self.page.click("#login_submit")
        self.page.wait_for_url(re.compile(rf"/user/{self.user.pw_name}/lab"), timeout=PAGE_TIMEOUT)
        self.page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell "
                                    "&& document.querySelector('.jp-LabShell')")

    def assignments_panel(self):
        """Nbgrader > Assignment List (the student's panel); wait until it lists the course."""
        self.page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
        panel = self.page.locator(".nbgrader-assignment-list, #nbgrader-assignment-list").first
        panel.wait_for(state="visible")
        return panel

    def click_in_row(self, panel, assignment, button):
        """Click `button` (Fetch, Submit, Fetch Feedback) in the row of `assignment`."""
        row = panel.locator(".list_item", has_text=assignment).filter(
            has=self.page.get_by_role("button", name=button, exact=True)).first
        row.get_by_role("button", name=button, exact=True).click()

    def save_notebook(self, path, notebook):
        """Save `notebook` at `path` through the user's own Jupyter server (as the user)."""
        self.page.evaluate("""async ([path, content]) => {
            await window.jupyterapp.serviceManager.contents.save(path, {type: 'notebook', format: 'json', content});
        }""", [path, notebook])

    def close(self):
        self.context.close()


def grade_written_answer(instructor, assignment, student, grade_id, points, comment_text):
    """Formgrader in its own tab: Manual Grading > the assignment > the notebook > the student's
    submission; the written answer `grade_id` gets `points` and a comment (formgrader saves each
    field on change). Returns MATHJAX_TYPESET of the grading page."""
    page = instructor.context.new_page()
    user = instructor.user.pw_name
    page.goto(f"{instructor.hub.url}/user/{user}/formgrader/gradebook/{assignment}/{assignment}")
    page.get_by_text("Manual Grading").first.wait_for()
    instructor.screenshot("manual-grading", page)
    # Submissions are anonymous ("Submission #n") until their names are shown.
    page.locator("a", has_text="Submission #").first.wait_for()
    page.click("#toggle_names")
    page.get_by_role("link", name=student, exact=True).click()
    score = page.locator(f"input.score#{grade_id}")
    score.wait_for()
    # formgrader binds its inputs once the page (MathJax included) has loaded.
    page.wait_for_function("() => window.formgrader && formgrader.loaded && formgrader.grades.loaded "
                           "&& formgrader.comments.loaded")
    mathjax = page.evaluate(MATHJAX_TYPESET)
    with page.expect_response(lambda r: "/api/grade/" in r.url and r.request.method in ("PUT", "POST")):
        score.fill(str(points))
        score.press("Tab")  # formgrader saves on change
    comment = page.locator(f"textarea#{grade_id}-comment")
    with page.expect_response(lambda r: "/api/comment/" in r.url and r.request.method in ("PUT", "POST")):
        comment.fill(comment_text)
        comment.press("Tab")
    instructor.screenshot("graded", page)
    page.close()
    return mathjax
