/* The desk's focal point picker (articles/desk/focal_point.py). The editor clicks the point
   of the lead image that must stay in frame, or moves it with the arrow keys; the two number
   fields receive it as fractions of the image's width and height from its top left, and two
   previews show the crops pages and social networks will get (the arithmetic of
   articles/media/focal.py). Works on the stored image and on one just chosen, before upload.
   Without this script the number fields are typed in directly. */
(function () {
  "use strict";

  var TOLERANCE = 0.01;

  function start(point, crop, whole) {
    return Math.min(Math.max(Math.round(point - crop / 2), 0), whole - crop);
  }

  // (left, top, width, height) of the largest `ratio` crop keeping the point in frame.
  function cropBox(width, height, ratio, fx, fy) {
    if (Math.abs(width / height - ratio) <= ratio * TOLERANCE) {
      return [0, 0, width, height];
    }
    if (width / height > ratio) {
      var cropWidth = Math.max(1, Math.min(width, Math.round(height * ratio)));
      return [start(fx * width, cropWidth, width), 0, cropWidth, height];
    }
    var cropHeight = Math.max(1, Math.min(height, Math.round(width / ratio)));
    return [0, start(fy * height, cropHeight, height), width, cropHeight];
  }

  function fraction(input) {
    var value = parseFloat(input.value);
    return isNaN(value) ? 0.5 : Math.min(1, Math.max(0, value));
  }

  function element(tag, className, parent) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (parent) parent.appendChild(node);
    return node;
  }

  function init() {
    var xInput = document.querySelector('input[data-focal-axis="x"]');
    var yInput = document.querySelector('input[data-focal-axis="y"]');
    var file = document.getElementById("id_lead_image");
    if (!xInput || !yInput || !file) return;
    var row = xInput.closest(".form-row") || xInput.parentNode;
    var stored = file.closest(".form-row");
    var link = stored && stored.querySelector(".file-upload a[href]");

    var picker = element("div", "focal-picker");
    picker.hidden = true;
    var stage = element("div", "focal-picker__stage", picker);
    stage.tabIndex = 0;
    stage.setAttribute("role", "group");
    stage.setAttribute("aria-label", xInput.dataset.labelStage);
    stage.title = xInput.dataset.labelStage;
    var image = element("img", "focal-picker__image", stage);
    image.alt = "";
    image.draggable = false;
    var marker = element("span", "focal-picker__marker", stage);
    marker.setAttribute("aria-hidden", "true");
    var previews = element("div", "focal-picker__previews", picker);
    var frames = [
      [parseFloat(xInput.dataset.pageRatio), xInput.dataset.labelPage],
      [parseFloat(xInput.dataset.shareRatio), xInput.dataset.labelShare],
    ].map(function (entry) {
      var figure = element("figure", "focal-preview", previews);
      var frame = element("div", "focal-preview__frame", figure);
      frame.style.aspectRatio = String(entry[0]);
      var cropped = element("img", "", frame);
      cropped.alt = "";
      element("figcaption", "", figure).textContent = entry[1];
      return { ratio: entry[0], frame: frame, image: cropped };
    });
    row.appendChild(picker);

    function show() {
      var fx = fraction(xInput);
      var fy = fraction(yInput);
      // Fractions are measured from the image's top left whatever the page's direction.
      marker.style.left = fx * 100 + "%";
      marker.style.top = fy * 100 + "%";
      var width = image.naturalWidth;
      var height = image.naturalHeight;
      if (!width || !height) return;
      frames.forEach(function (preview) {
        var box = cropBox(width, height, preview.ratio, fx, fy);
        var scale = preview.frame.clientWidth / box[2];
        preview.image.style.width = width * scale + "px";
        preview.image.style.height = height * scale + "px";
        preview.image.style.left = -box[0] * scale + "px";
        preview.image.style.top = -box[1] * scale + "px";
      });
    }

    function choose(fx, fy) {
      xInput.value = Math.min(1, Math.max(0, fx)).toFixed(3);
      yInput.value = Math.min(1, Math.max(0, fy)).toFixed(3);
      show();
    }

    function load(url) {
      image.src = url;
      frames.forEach(function (preview) { preview.image.src = url; });
    }

    image.addEventListener("load", function () {
      picker.hidden = false;
      show();
    });
    stage.addEventListener("click", function (event) {
      var rect = image.getBoundingClientRect();
      choose((event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height);
    });
    stage.addEventListener("keydown", function (event) {
      var step = event.shiftKey ? 0.1 : 0.01;
      var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      var move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      choose(fraction(xInput) + move[0], fraction(yInput) + move[1]);
    });
    xInput.addEventListener("input", show);
    yInput.addEventListener("input", show);
    window.addEventListener("resize", show);
    file.addEventListener("change", function () {
      if (!file.files || !file.files[0]) return;
      choose(0.5, 0.5); // a new picture: its own point, from the centre
      load(URL.createObjectURL(file.files[0]));
    });
    if (link) load(link.href);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
