/**
 * Pure functions on DJL NDArrays for decoding-time realignment (DeRa): mixing the two models' logits, sampling
 * from the mixed distribution, the counter-based random numbers that drive the draws, and the per-step scores
 * (log-probabilities and KL to the reference) that the decoder records.
 *
 * <p>Every function computes in float32, whatever the input type, keeps all work on the input's device and closes
 * its intermediate arrays before it returns. Each returned array belongs to the manager named in the method's
 * Javadoc, so a per-step {@code NDManager} scope of the caller frees it.
 */
package dev.dera.realign;
