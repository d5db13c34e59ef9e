// Turns each plain link marked data-copy-link into a button that copies its address, and says so.
// Without JavaScript (or a clipboard) the link still works: it goes to the page, whose address can be copied.
document.querySelectorAll("a[data-copy-link]").forEach((link) => {
  const status = document.getElementById(link.dataset.copyLink);
  link.setAttribute("role", "button");
  link.addEventListener("click", async (event) => {
    if (!navigator.clipboard) return;
    event.preventDefault();
    try {
      await navigator.clipboard.writeText(link.href);
      status.textContent = "Copied";
    } catch {
      status.textContent = "Could not copy: select the link above and copy it";
    }
  });
});
