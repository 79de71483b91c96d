"""The student's JupyterLab has no instructor tools: no Nbgrader menu, no Formgrader, no Create
Assignment sidebar (which can unlock cells), no course or assignment list — and `make lab` serves
the student edition folder, not the repository with its solutions.

`make lab` puts tools/student-lab/ on the Jupyter config path, and binder/postBuild copies it into
the image; here a real JupyterLab runs with that folder as its config and chromium looks at it.
One server start and one page (~30 s).
"""
import shutil
import sys
import urllib.error

import pytest

from browser_support import LAB_TEST_ARGS, ROOT, LabPage, LabServer, chromium

STUDENT_LAB = ROOT / "tools" / "student-lab"
NBGRADER_PLUGINS = ["formgrader", "create-assignment", "assignment-list", "course-list",
                    "validate-assignment", "menu"]


def lab_recipe():
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = lines.index(next(line for line in lines if line.startswith("lab:")))
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return " ".join(recipe)


def test_make_lab_serves_the_student_edition_with_the_student_config():
    recipe = lab_recipe()
    assert "JUPYTER_CONFIG_PATH=$(CURDIR)/tools/student-lab" in recipe
    assert "--ServerApp.root_dir=student" in recipe and "--ServerApp.root_dir=." not in recipe
    assert "--LabApp.default_url=/lab/tree/00-homework.ipynb" in recipe


def test_binder_installs_the_student_config_and_removes_the_solutions():
    post_build = (ROOT / "binder" / "postBuild").read_text()
    assert "tools/student-lab/labconfig tools/student-lab/jupyter_server_config.json" in post_build
    assert post_build.index("student-edition") < post_build.index("rm -rf notebooks tools/notebook_source tests")


@pytest.fixture(scope="module")
def student_lab(tmp_path_factory):
    """JupyterLab with tools/student-lab as its configuration, serving a student folder."""
    state = tmp_path_factory.mktemp("student-lab-state")
    shutil.copytree(STUDENT_LAB, state / "config")           # the highest-priority config folder
    root = tmp_path_factory.mktemp("student")
    shutil.copy(ROOT / "notebooks" / "00-homework.ipynb", root)
    with LabServer(sys.executable, root, state, extra_args=LAB_TEST_ARGS) as server:
        yield server


def test_no_nbgrader_server_extension_answers(student_lab):
    for path in ("formgrader", "assignments", "formgrader/api/assignments"):
        with pytest.raises(urllib.error.HTTPError) as caught:
            student_lab.get(path)
        caught.value.close()
        assert caught.value.code == 404, path
    assert "nbgrader" not in student_lab.log_tail(400).lower()     # not even "No nbgrader_config.py"


def test_the_students_jupyterlab_shows_no_formgrader_or_create_assignment(student_lab):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        lab = LabPage(page, student_lab, "student-lab")
        lab.open("00-homework.ipynb")
        lab.screenshot("opened")
        menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
        assert "File" in menus and "Run" in menus, menus                   # the menu bar is there...
        assert not [m for m in menus if "nbgrader" in m.lower()], menus    # ...without Nbgrader
        plugins = page.evaluate("ids => ids.map(id => window.jupyterapp.hasPlugin(id))",
                                [f"@jupyter/nbgrader:{name}" for name in NBGRADER_PLUGINS])
        assert plugins == [False] * len(NBGRADER_PLUGINS)
        # Other extensions load as usual: the widgets manager is a plugin of the same kind.
        assert page.evaluate("() => window.jupyterapp.hasPlugin('@jupyter-widgets/jupyterlab-manager:plugin')")
        for text in ("Formgrader", "Create Assignment", "Assignment List", "Courses"):
            assert page.get_by_text(text, exact=True).count() == 0, text
        commands = page.evaluate("() => window.jupyterapp.commands.listCommands()")
        assert not [c for c in commands if "nbgrader" in c.lower()], commands
