package dev.dera.decode;

import java.util.List;

/**
 * A prompt all of whose rows have finished.
 *
 * @param index the prompt's position in the list of requests the decode started with
 * @param results its rows, in lambda order, then sample order
 */
public record FinishedPrompt(int index, List<DecodeResult> results) {}
