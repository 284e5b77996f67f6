"""Rendition speed for a 24-megapixel JPEG: our pipeline against plain Pillow open-resize-save.

    .venv/bin/python bench/renditions.py [--repeat 5]

The JPEG is generated in memory (6000x4000, camera-like detail); nothing is stored and no database
is used. Three figures, all in milliseconds per rendition, measured in the same run:

  plain   Image.open -> resize(LANCZOS) -> save JPEG, once per rendition (full-size decode each time)
  single  our get_rendition path for one rendition: draft-mode decode, resize, encode
  set     our upload path: one reduced decode, then every standard rendition (JPEG, WebP, AVIF
          if available, whole picture and 16:9/1:1 crops), each size resized from the previous one

Ratios (plain / ours) are what to compare across machines; the issue's target is >= 3x.
Figures are printed, never asserted.
"""

import argparse
import io
import statistics
import time

from _setup import setup_django  # noqa: E402  (bench/ is on sys.path when run as a script)

setup_django()

from PIL import Image, ImageFilter  # noqa: E402

from articles import images  # noqa: E402
from articles.models import Photo  # noqa: E402

SIZE = (6000, 4000)  # 24 megapixels
SINGLE_SPECS = ["w320", "w640", "w1200", "w1920"]


def make_jpeg():
    """A 24 MP JPEG with enough detail to cost what a camera file costs to decode and resize."""
    small = Image.effect_noise((750, 500), 64).convert("RGB")
    gradient = Image.linear_gradient("L").resize((750, 500)).convert("RGB")
    base = Image.blend(small, gradient, 0.5).resize(SIZE, Image.Resampling.BICUBIC)
    detail = Image.effect_noise(SIZE, 24).convert("RGB")
    picture = Image.blend(base, detail, 0.25).filter(ImageFilter.SHARPEN)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


def plain_rendition(data, width):
    with Image.open(io.BytesIO(data)) as im:
        resized = im.resize((width, round(im.height * width / im.width)), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        resized.save(out, "JPEG", quality=82)
        return out.getvalue()


def our_single_rendition(data, photo, spec):
    with Image.open(io.BytesIO(data)) as im:
        decoded = images.decode(im, [spec])
    return images.render_rendition(photo, spec, image=decoded)[0]


def our_set(data, photo, specs):
    with Image.open(io.BytesIO(data)) as im:
        decoded = images.decode(im, specs)
    return list(images.render_renditions(photo, decoded, specs))


def timed(fns, repeat):
    """Best of `repeat` runs of each function, run in turn so that load from other work hits all alike."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    data = make_jpeg()
    photo = Photo(width=SIZE[0], height=SIZE[1], sha256="0" * 64, credit="AFP-Yonhap", copyright="(C) AFP")
    specs = images.standard_specs(photo)
    print(
        f"source: {SIZE[0]}x{SIZE[1]} JPEG, {len(data) / 2**20:.1f} MB; formats: "
        f"{', '.join(images.modern_formats())}, jpeg; best of {args.repeat}"
    )

    plain_ms, single_ms = [], []
    for spec in SINGLE_SPECS:
        width = images.SPECS[spec].width
        plain, ours = (
            t * 1000
            for t in timed(
                [lambda w=width: plain_rendition(data, w), lambda s=spec: our_single_rendition(data, photo, s)],
                args.repeat,
            )
        )
        plain_ms.append(plain)
        single_ms.append(ours)
        print(f"  {spec:>6}: plain {plain:7.1f} ms   ours {ours:6.1f} ms   ratio {plain / ours:5.1f}x")

    (set_seconds,) = timed([lambda: our_set(data, photo, specs)], args.repeat)
    set_total = set_seconds * 1000
    plain_avg = statistics.mean(plain_ms)
    single_avg = statistics.mean(single_ms)
    set_avg = set_total / len(specs)
    print(f"plain Pillow open-resize-save: {plain_avg:7.1f} ms per rendition")
    print(f"ours, one rendition at a time: {single_avg:7.1f} ms per rendition   ratio {plain_avg / single_avg:.1f}x")
    print(
        f"ours, full upload set ({len(specs)}):  {set_avg:7.1f} ms per rendition   "
        f"ratio {plain_avg / set_avg:.1f}x   ({set_total:.0f} ms in all)"
    )
    pipeline_ratio = plain_avg / set_avg
    print(f"target: pipeline >= 3x plain -> {pipeline_ratio:.1f}x, {'met' if pipeline_ratio >= 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
