/**
 * The agent protocol: what a Stoker server and an agent program say to each other over one byte stream (an SSH
 * channel today, a WebSocket or any other pipe tomorrow). Messages are records of the sealed {@link
 * io.stoker.agent.protocol.Frame}; {@link io.stoker.agent.protocol.FrameCodec} writes each as a 4-byte length and
 * its JSON. Nothing here knows the transport.
 */
package io.stoker.agent.protocol;
