/** Saves text as a file through the browser's download, without any permission: a Blob URL and a temporary link. */
export function downloadFile(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking in the same task can cancel the download in some browsers; a later task is safe.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
