/**
 * Whether an element is near the screen (within 300 px), or the page is about to be printed:
 * sections whose questions are costly ask them only then, and keep their last answer while
 * scrolled away.
 */
export class NearScreen {
	near = $state(false);

	/** Starts watching `element`; returns what stops it (an `$effect`'s cleanup). */
	watch(element: HTMLElement): () => void {
		const observer = new IntersectionObserver((entries) => (this.near = entries.some((e) => e.isIntersecting)), { rootMargin: '300px 0px' });
		observer.observe(element);
		const print = () => (this.near = true);
		window.addEventListener('beforeprint', print);
		return () => {
			observer.disconnect();
			window.removeEventListener('beforeprint', print);
		};
	}
}
