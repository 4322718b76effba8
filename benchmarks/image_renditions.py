"""Time and memory of making renditions from the largest image an editor may upload.

    DJANGO_SETTINGS_MODULE=ngo_site.settings.test .venv/bin/python -m benchmarks.image_renditions

For each kind of source image of WAGTAILIMAGES_MAX_IMAGE_PIXELS pixels (8000 × 5000 at the
40-megapixel default: a photo-like JPEG under the upload size limit, an RGBA PNG, and the 1-bit
PNG that costs an attacker a few kilobytes), a fresh Python process (so that its peak resident
memory is this measurement's alone) makes either

- one rendition, the largest a page asks for (the figure block's fill-1200x675-c100|format-webp),
  with Wagtail's AbstractImage.generate_rendition_file;
- or the figure block's three renditions (its srcset: 480, 800 and 1200 pixels wide) on three
  threads at once, as Wagtail's AbstractImage.create_renditions does when `{% srcset_image %}`
  asks get_renditions for renditions that do not exist yet;
- or the same three one after another, as CustomImage makes them (ngo_site.images): what the
  first visitor of a page with such a figure pays.

It prints wall-clock seconds and the growth of the process's peak resident memory (Linux's
VmHWM) over what it held once the source file was read. Pillow allocates image memory outside
Python's allocator, so tracemalloc would not see it: the resident set is the figure that
matters. Nothing is written to the database or to storage. The figures are kept in
docs/benchmarks.md ("Image renditions").
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

FIGURE_SPECS = [
    "fill-480x270-c100|format-webp",
    "fill-800x450-c100|format-webp",
    "fill-1200x675-c100|format-webp",
]
KINDS = ("jpeg", "png-rgba", "png-1bit")


def source_image(kind, width, height):
    """The bytes of a `width` × `height` source image of `kind` (see the module's docstring)."""
    from PIL import Image, ImageFilter

    buffer = io.BytesIO()
    if kind == "png-1bit":
        Image.new("1", (width, height), 1).save(buffer, format="PNG")
        return buffer.getvalue(), "png"
    # A smooth picture, with some grain for the JPEG so that it has detail to encode (a real
    # photo's size); both stay under the upload size limit.
    small = Image.effect_mandelbrot((width // 16, height // 16), (-2.0, -1.2, 1.0, 1.2), 64)
    grey = small.resize((width, height), Image.Resampling.BICUBIC)
    if kind == "jpeg":
        grain = Image.effect_noise((width, height), 24)
        grey = Image.blend(grey, grain, 0.2).filter(ImageFilter.SMOOTH)
        Image.merge("RGB", (grey, grey.point(lambda v: 255 - v), grey)).save(
            buffer, format="JPEG", quality=80
        )
        return buffer.getvalue(), "jpg"
    Image.merge("RGBA", (grey, grey, grey.point(lambda v: 255 - v), grey)).save(
        buffer, format="PNG"
    )
    return buffer.getvalue(), "png"


def memory_mb(field):
    """This process's VmHWM (peak resident set) or VmRSS (current one), in megabytes.

    Linux's own figures for this process alone: resource.getrusage's ru_maxrss would keep the
    peak of the parent that started it (it survives execve), which made the source images."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path, width, height, threads, specs):
    """In this process: the seconds and megabytes of making `specs` from one source file
    (printed as JSON), on `threads` threads."""
    import django

    django.setup()
    from django.core.files.images import ImageFile
    from wagtail.images.models import Filter

    from ngo_site.models import CustomImage

    content = Path(path).read_bytes()
    # Never saved: the collection is not looked up (no database is needed).
    image = CustomImage(title="Benchmark", width=width, height=height, collection_id=1)
    image.file = ImageFile(io.BytesIO(content), name=Path(path).name)
    baseline = memory_mb("VmRSS")

    def make(spec):
        return image.generate_rendition_file(Filter(spec), source=io.BytesIO(content))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as executor:
        list(executor.map(make, specs))
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "mb": memory_mb("VmHWM") - baseline}))


def run_measure(path, width, height, threads, specs):
    result = subprocess.run(
        [
            *(sys.executable, "-m", "benchmarks.image_renditions", "--measure"),
            *(str(path), str(width), str(height), str(threads), *specs),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", nargs="*", default=list(KINDS), choices=KINDS)
    parser.add_argument("--measure", nargs="+", help="internal: PATH WIDTH HEIGHT THREADS SPEC...")
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ngo_site.settings.dev")
    if options.measure:
        path, width, height, threads, *specs = options.measure
        measure(path, int(width), int(height), int(threads), specs)
        return 0

    import django

    django.setup()
    from django.conf import settings

    pixels = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    width = 8000 if pixels % 8000 == 0 else int(pixels**0.5)
    height = pixels // width
    print(f"Source images of {width} × {height} pixels ({width * height / 1e6:g} megapixels)")
    print(
        "| source | file | one rendition | figure's three at once (Wagtail) "
        "| figure's three one by one (CustomImage) |"
    )
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for kind in options.kinds:
            content, extension = source_image(kind, width, height)
            path = Path(folder) / f"source.{extension}"
            path.write_bytes(content)
            runs = [
                run_measure(path, width, height, 1, FIGURE_SPECS[-1:]),
                run_measure(path, width, height, 3, FIGURE_SPECS),
                run_measure(path, width, height, 1, FIGURE_SPECS),
            ]
            cells = [f"{run['seconds']:.2f} s, +{run['mb']:.0f} MB" for run in runs]
            print(f"| {kind} | {len(content) / 1e6:.1f} MB | {' | '.join(cells)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
