"""The notebook in docs/ runs from start to end on the bundled data (nbclient), so it never goes stale."""

from __future__ import annotations

import pytest

from .conftest import REPO

nbformat = pytest.importorskip("nbformat", reason="nbformat is a test dependency")
nbclient = pytest.importorskip("nbclient", reason="nbclient is a test dependency")
pytest.importorskip("ipykernel", reason="the notebook runs on an IPython kernel")


def test_the_il2_notebook_runs_and_shows_a_typed_table():
    notebook = nbformat.read(REPO / "docs" / "il2-evidence.ipynb", as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(REPO)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    texts = "\n".join(o.get("data", {}).get("text/plain", "") for o in outputs if "data" in o)
    assert "Int64" in texts and "float64" in texts and "ESPRIT" in texts
