// Starts GOV.UK Frontend's components. Every page works without this file.
import { initAll } from '/assets/govuk-frontend.min.js'

initAll()

// "Print" buttons need JavaScript, so they are hidden until it runs.
for (const button of document.querySelectorAll('[data-app-print]')) {
  button.hidden = false
  button.addEventListener('click', () => window.print())
}
