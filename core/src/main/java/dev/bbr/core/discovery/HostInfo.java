package dev.bbr.core.discovery;

import dev.bbr.core.remote.RemoteShell;

/** An instance the access layer reached, with its identity from the Director (or fixed in director mode). */
public record HostInfo(String group, String index, String id, boolean bootstrap, RemoteShell shell) {}
