// The what-if's follow share: the number field works alone; with JavaScript a slider beside it moves it too.
(function () {
  var number = document.getElementById("id_follow");
  var slider = document.getElementById("id_follow_slider");
  if (!number || !slider) return;
  slider.hidden = false;
  slider.addEventListener("input", function () { number.value = slider.value; });
  number.addEventListener("input", function () { if (number.value !== "") slider.value = number.value; });
})();
