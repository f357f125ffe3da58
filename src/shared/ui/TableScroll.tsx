import type { ComponentChildren } from 'preact';

/**
 * The box a wide (or tall) table scrolls in. It takes keyboard focus, so someone without a mouse can scroll it with
 * the arrow keys, and it is a named region (a labelled section, named like its table's caption) so a screen reader says what it holds.
 */
export function TableScroll({ label, tall, children }: { label: string; tall?: boolean; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to be scrolled by keyboard.
    <section class={tall ? 'table-scroll table-tall' : 'table-scroll'} tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
