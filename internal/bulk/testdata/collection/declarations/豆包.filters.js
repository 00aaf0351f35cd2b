export function removeTimestamps(document) {
  document.querySelectorAll('.timestamp').forEach(el => el.remove());
}
