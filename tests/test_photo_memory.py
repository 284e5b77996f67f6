"""Decoded image memory is capped (issue #11: a 100-megapixel PNG took a worker to 1.77 GB)."""

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from articles.photos import PhotoRejected, inspect_image
from tests.factories import image_file

ROOT = Path(__file__).resolve().parent.parent

# Peak RSS growth of a fresh process while it inspects (checks and decodes) one file, in MB.
MEASURE = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from articles.photos import inspect_image

def high_water_mb():
    # VmHWM is this process's own peak (ru_maxrss would carry over the forking parent's peak).
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024

data = open(sys.argv[1], "rb").read()
before = high_water_mb()
inspect_image(SimpleUploadedFile("big.png", data))
print(before, high_water_mb() - before)
"""


def test_a_100_megapixel_png_is_refused_before_decoding():
    path = Path("/tmp") / "rights-100mp.png"
    Image.new("L", (10_000, 10_000)).save(path, "PNG", compress_level=1)
    upload = image_file("x.png", size=(1, 1), fmt="PNG")
    upload.file.write(path.read_bytes())
    upload.file.seek(0)
    upload.file.truncate(path.stat().st_size)
    path.unlink()
    with pytest.raises(PhotoRejected, match="the limit is 40 megapixels for PNG"):
        inspect_image(upload)


def test_a_100_megapixel_jpeg_is_still_accepted_limit_is_per_format(settings):
    settings.NEWSROOM_PHOTO_MAX_FULL_DECODE_PIXELS = 100  # JPEG is unaffected by this bound
    assert inspect_image(image_file("ok.jpg", size=(400, 300))).width == 400
    with pytest.raises(PhotoRejected, match="for PNG"):
        inspect_image(image_file("small.png", size=(400, 300), fmt="PNG"))


def test_the_largest_accepted_png_decodes_within_a_bounded_memory(tmp_path):
    path = tmp_path / "limit.png"
    Image.new("RGBA", (8000, 5000), (10, 20, 30, 255)).save(path, "PNG", compress_level=1)  # 40 MP
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "test", "DEBUG": "1", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    base_mb, peak_mb = (int(n) for n in result.stdout.strip().splitlines()[-1].split())
    print(f"peak RSS growth decoding a 40 MP RGBA PNG: {peak_mb} MB over {base_mb} MB")
    # 40 MP x 4 bytes = 160 MB for the one full-size decode, plus one band (40 MB) and the small copy;
    # before the fix this was 315 MB (exif_transpose and reduce made full-size copies).
    assert peak_mb < 260
