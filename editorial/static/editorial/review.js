// The review page's workspace. Everything works without this file (plain anchors and POSTs);
// it only moves the keyboard focus where a marker or a quoted sentence leads, so the next Tab
// continues from there.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.cite, a.to-draft");
  if (!link || !link.hash) return;
  const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!target) return;
  const focusable = target.matches("sup") ? target.querySelector("a") : target;
  if (focusable) requestAnimationFrame(() => focusable.focus({ preventScroll: true }));
});
