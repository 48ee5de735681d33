package io.fleetcore.model;

/** A framed message of a device as a frame decoder cut it from the stream: its raw bytes. */
public interface RawFrame {

    byte[] bytes();
}
