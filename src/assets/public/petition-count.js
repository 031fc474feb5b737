// Live signature count: re-reads count.json every 10 s while the page is open. Without
// JavaScript the count in the HTML is the count when the page was loaded.
const el = document.querySelector('[data-live-count]')
if (el) {
  const url = el.getAttribute('data-live-count')
  const format = new Intl.NumberFormat(document.documentElement.lang === 'cy' ? 'cy-GB' : 'en-GB')
  const tick = async () => {
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' } })
      if (res.ok) {
        const body = await res.json()
        if (typeof body.signature_count === 'number') {
          el.textContent = format.format(body.signature_count)
          el.setAttribute('data-count', String(body.signature_count))
        }
      }
    } catch {
      // Offline for a moment: keep the last count.
    }
  }
  setInterval(tick, 10_000)
}
