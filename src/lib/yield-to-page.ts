/**
 * Lets the page handle pending input between slices of long work. A message, not a timer:
 * hidden tabs slow timers to one per second, and nested timers wait at least 4 ms each.
 */
export function yieldToPage(): Promise<void> {
	if (typeof MessageChannel === 'undefined') return new Promise((resume) => setTimeout(resume, 0));
	return new Promise((resume) => {
		const channel = new MessageChannel();
		channel.port1.onmessage = () => {
			channel.port1.close();
			resume();
		};
		channel.port2.postMessage(null);
	});
}
