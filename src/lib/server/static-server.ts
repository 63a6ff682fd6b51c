import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';
import { serveStatic } from './static';

export interface StaticServer {
	url: string;
	server: Server;
	/** Bytes written to the network since the server started, headers included (what browsers downloaded). */
	bytesSent(): number;
	close(): Promise<void>;
}

/** Serves the built app alone (`npm start`, the browser tests, the bench, the PDF report): 127.0.0.1 unless told otherwise. */
export async function startStaticServer(options: { root: string; host?: string; port?: number }): Promise<StaticServer> {
	const root = resolve(options.root);
	const server = createServer((request, response) => {
		if (request.method === 'GET' || request.method === 'HEAD') void serveStatic(root, request, response);
		else response.writeHead(405, { Allow: 'GET, HEAD' }).end();
	});
	const open = new Set<Socket>();
	let closedBytes = 0;
	server.on('connection', (socket) => {
		open.add(socket);
		socket.once('close', () => {
			open.delete(socket);
			closedBytes += socket.bytesWritten;
		});
	});
	await new Promise<void>((done, fail) => {
		server.once('error', fail);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => done());
	});
	const { address, port } = server.address() as AddressInfo;
	return {
		url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
		server,
		bytesSent: () => closedBytes + [...open].reduce((sum, socket) => sum + socket.bytesWritten, 0),
		async close() {
			server.closeAllConnections();
			await new Promise<void>((done) => server.close(() => done()));
		}
	};
}
