// One audio player for the whole pack, made when a clip is first played and moved to each clip played.
// Chromium refuses to create more than about a thousand media players in a page ("error creating media
// player"), so a pack of thousands of quotes cannot give each its own <audio>. The clips stay in the page
// as data: URIs on their buttons; nothing is fetched. No user text is ever read as code here.
(() => {
  let audio = null;
  let current = null;
  const show = (button, playing) => {
    button.setAttribute("aria-pressed", playing ? "true" : "false");
    button.classList.toggle("playing", playing);
  };
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-clip]");
    if (!button) return;
    if (audio === null) {
      audio = document.createElement("audio");
      audio.id = "clip-player";
      audio.controls = true;
      audio.preload = "auto";
      audio.addEventListener("play", () => current && show(current, true));
      audio.addEventListener("pause", () => current && show(current, false));
      audio.addEventListener("ended", () => current && show(current, false));
    }
    if (current === button) {
      if (audio.paused) audio.play(); else audio.pause();
      return;
    }
    if (current) show(current, false);
    current = button;
    audio.src = button.dataset.clip;
    audio.setAttribute("aria-label", button.getAttribute("aria-label"));
    button.after(audio);
    audio.play();
  });
})();
