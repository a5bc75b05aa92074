"""Render children start from a forkserver that already imported the parent's main module (tornadogists/workers.py)."""

import subprocess
import sys

MAIN = '''
import imported_once   # the main's imports: the site's modules, for run.py
from tornadogists.services.rendering import render_one_comment
from tornadogists.workers import run_with_time_limit

if __name__ == "__main__":
    for n in range(3):
        html, _ = run_with_time_limit(10, render_one_comment, f"*comment* {n}", b"k" * 32, True)
        assert f"<em>comment</em> {n}" in html, html
'''


def test_each_child_finds_the_main_modules_imports_already_imported(tmp_path):
    # A child runs its parent's main module again first. Without the main imported in the forkserver,
    # every child imported all of it again (the site's modules: about 100 ms of a 3 ms comment render);
    # here that would be three more imports, one per child.
    (tmp_path / "imported_once.py").write_text("import os\nopen('imported.txt', 'a').write(f'{os.getpid()}\\n')\n")
    (tmp_path / "main.py").write_text(MAIN)
    subprocess.run([sys.executable, "main.py"], cwd=tmp_path, check=True, timeout=60)
    imports = (tmp_path / "imported.txt").read_text().split()
    assert len(imports) == 2, imports   # in the parent, and once in the forkserver
