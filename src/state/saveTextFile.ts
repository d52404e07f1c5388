/**
 * Hands text or bytes to the user as a downloaded file, built in the page from a Blob object
 * URL and an `<a download>`: nothing goes over the network. Browser only.
 */
export function saveTextFile(fileName: string, text: string, mimeType = 'text/csv'): void {
  saveBlobFile(fileName, new Blob([text], { type: `${mimeType};charset=utf-8` }));
}

/** Downloads `blob` as `fileName` (e.g. a model's weights.bin). */
export function saveBlobFile(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke after the click has been handled; revoking synchronously can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
