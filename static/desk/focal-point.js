/* The photo page's focal point picker (articles/admin/focal_point.py).
 *
 * Clicking the picture sets focal_x / focal_y (pixels of the upright picture) and redraws the crop
 * previews; typing in those fields redraws them too. cropSize() and cropBox() mirror
 * articles/images.py crop_size() and crop_box(), rounding half to even like Python's round(), so
 * the previews are the boxes the renditions are cut with (tests/test_focal_point_browser.py).
 */
(function () {
  "use strict";

  function roundHalfEven(value) {
    var floor = Math.floor(value);
    var diff = value - floor;
    if (diff > 0.5) return floor + 1;
    if (diff < 0.5) return floor;
    return floor % 2 === 0 ? floor : floor + 1;
  }

  function cropSize(width, height, ratio) {
    if (!ratio || !width || !height) return [width, height];
    var rw = ratio[0], rh = ratio[1];
    if (width * rh > height * rw) return [roundHalfEven(height * rw / rh), height];
    return [width, roundHalfEven(width * rh / rw)];
  }

  function cropBox(width, height, ratio, focal) {
    var box = cropSize(width, height, ratio);
    var fx = focal ? focal[0] : width / 2;
    var fy = focal ? focal[1] : height / 2;
    var left = Math.min(Math.max(roundHalfEven(fx - box[0] / 2), 0), width - box[0]);
    var top = Math.min(Math.max(roundHalfEven(fy - box[1] / 2), 0), height - box[1]);
    return [left, top, left + box[0], top + box[1]];
  }

  window.NewsroomFocalPoint = { cropSize: cropSize, cropBox: cropBox, roundHalfEven: roundHalfEven };

  function percent(value) {
    return (value * 100).toFixed(4) + "%";
  }

  function setUp(picker) {
    var width = parseInt(picker.dataset.width, 10);
    var height = parseInt(picker.dataset.height, 10);
    var crops = JSON.parse(picker.dataset.crops);
    var form = picker.closest("form");
    var inputX = form && form.querySelector("[name=focal_x]");
    var inputY = form && form.querySelector("[name=focal_y]");
    var image = picker.querySelector(".focal-picker__image");
    var marker = picker.querySelector(".focal-picker__marker");
    var status = picker.querySelector(".focal-picker__status");

    function typedFocal() {
      if (!inputX || !inputY || inputX.value.trim() === "" || inputY.value.trim() === "") return null;
      var x = Number(inputX.value), y = Number(inputY.value);
      if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= width || y >= height) return null;
      return [x, y];
    }

    function redraw(focal) {
      if (focal) {
        marker.hidden = false;
        marker.style.left = percent(focal[0] / width);
        marker.style.top = percent(focal[1] / height);
        status.textContent = "Focal point: " + focal[0] + " × " + focal[1] + " pixels.";
      } else {
        marker.hidden = true;
        status.textContent = "No focal point: the crops are centred.";
      }
      picker.querySelectorAll(".focal-preview").forEach(function (preview) {
        var box = cropBox(width, height, crops[preview.dataset.crop], focal);
        var frame = preview.querySelector(".focal-preview__frame");
        var boxW = box[2] - box[0], boxH = box[3] - box[1];
        frame.dataset.box = box.join(",");
        var img = frame.querySelector("img");
        img.style.width = percent(width / boxW);
        img.style.left = percent(-box[0] / boxW);
        img.style.top = percent(-box[1] / boxH);
      });
    }

    image.addEventListener("click", function (event) {
      var rect = image.getBoundingClientRect();
      var x = Math.floor((event.clientX - rect.left) / rect.width * width);
      var y = Math.floor((event.clientY - rect.top) / rect.height * height);
      x = Math.min(Math.max(x, 0), width - 1);
      y = Math.min(Math.max(y, 0), height - 1);
      if (inputX && inputY) {
        inputX.value = x;
        inputY.value = y;
        inputX.dispatchEvent(new Event("change", { bubbles: true }));
      }
      redraw([x, y]);
    });
    [inputX, inputY].forEach(function (input) {
      if (input) input.addEventListener("input", function () { redraw(typedFocal()); });
    });
  }

  function init() {
    document.querySelectorAll(".focal-picker").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
