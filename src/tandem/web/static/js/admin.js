// Admin pages: draw the charts the server described, and re-run the what-if as it changes.
// Chart data sits in <script type="application/json" data-chart="CANVAS-ID"> blocks (not run).

function drawCharts() {
  if (typeof window.Chart !== "function") return; // the tables carry the same numbers
  for (const block of document.querySelectorAll("script[data-chart]")) {
    const canvas = document.getElementById(block.dataset.chart);
    if (canvas) new window.Chart(canvas, JSON.parse(block.textContent));
  }
}

function autoSubmit() {
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    let timer = null;
    form.addEventListener("change", () => {
      clearTimeout(timer);
      timer = setTimeout(() => form.requestSubmit(), 400);
    });
  }
}

drawCharts();
autoSubmit();
