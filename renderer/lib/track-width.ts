import type { Attachment } from 'svelte/attachments';

/**
 * An attachment that reports the element's width in CSS pixels now and on
 * every resize, so a chart can draw at 1:1 (its text at the type scale's
 * sizes, its marks round) on any screen. Without ResizeObserver (jsdom) only
 * the first width is reported.
 */
export function trackWidth(set: (width: number) => void): Attachment<HTMLElement> {
  return (el) => {
    set(el.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => set(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  };
}
