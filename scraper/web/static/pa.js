// The citation's copy button: the clipboard API where the page is a secure context
// (localhost), otherwise the selected text and the browser's copy command.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector(".pa-copied");
  let done = false;
  try {
    await navigator.clipboard.writeText(field.value);
    done = true;
  } catch (error) {
    field.select();
    done = document.execCommand("copy");
  }
  if (status) status.textContent = done ? "Kopiert." : "Bitte markieren und mit Strg+C kopieren.";
});
