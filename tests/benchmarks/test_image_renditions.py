"""The image renditions benchmark (benchmarks/image_renditions.py) at a tiny size, so that it
cannot rot unnoticed: each measurement runs in its own process and reports seconds and the
growth of that process's peak memory."""

import io

import pytest
from PIL import Image

from benchmarks.image_renditions import FIGURE_SPECS, memory_mb, run_measure, source_image

pytestmark = pytest.mark.one_database


def test_measures_a_rendition_in_a_process_of_its_own(tmp_path):
    path = tmp_path / "source.png"
    Image.new("RGB", (800, 500), "purple").save(path, format="PNG")

    one = run_measure(path, 800, 500, 1, FIGURE_SPECS[-1:])
    three = run_measure(path, 800, 500, 3, FIGURE_SPECS)

    for figures in (one, three):
        assert figures["seconds"] > 0
        assert 0 <= figures["mb"] < 200


def test_the_source_images_have_the_size_asked_for():
    for kind in ("jpeg", "png-rgba", "png-1bit"):
        content, _extension = source_image(kind, 320, 200)
        assert Image.open(io.BytesIO(content)).size == (320, 200)
    assert memory_mb("VmHWM") >= memory_mb("VmRSS") > 0
