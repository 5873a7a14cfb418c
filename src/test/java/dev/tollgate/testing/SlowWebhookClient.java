package dev.tollgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A hostile webhook client on a raw socket: announces a body and sends only part of it, so the tests can
 * play the slow-body attack of issue 10 exactly (an HTTP client library would not send a short body).
 */
public final class SlowWebhookClient implements AutoCloseable {

    private final Socket socket;

    private SlowWebhookClient(Socket socket) {
        this.socket = socket;
    }

    /** Connects to the loopback port and sends the request head announcing {@code contentLength}. */
    public static SlowWebhookClient open(int port, long contentLength) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        String head = "POST /v1/webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Content-Type: application/json\r\nStripe-Signature: t=1,v1=00\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new SlowWebhookClient(socket);
    }

    /** A request without Content-Length whose body comes in chunked encoding. */
    public static SlowWebhookClient openChunked(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        String head = "POST /v1/webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Content-Type: application/json\r\nStripe-Signature: t=1,v1=00\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        return new SlowWebhookClient(socket);
    }

    /** Sends {@code count} bytes of the body ('x'); false if the server has closed the connection. */
    public boolean send(int count) {
        byte[] bytes = new byte[count];
        java.util.Arrays.fill(bytes, (byte) 'x');
        return write(bytes);
    }

    /** Sends one chunk of a chunked body. */
    public boolean sendChunk(int count) {
        byte[] data = new byte[count];
        java.util.Arrays.fill(data, (byte) 'x');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(count) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return write(out.toByteArray());
    }

    private boolean write(byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Everything the server sends until it closes the connection or {@code timeoutMillis} pass without a
     * byte: the raw response ("" if none came).
     */
    public String readResponse(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) > 0;) {
                answer.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // the server kept the connection open
        } catch (IOException e) {
            // reset by the server after its answer
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    /** Whether the server has closed its side (a read sees end of stream) within {@code timeoutMillis}. */
    public boolean closedByServer(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Whether the server has sent something (its answer) that is waiting to be read; does not block. */
    public boolean answered() {
        try {
            return socket.getInputStream().available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
