/**
 * Reading and writing Hugging Face safetensors checkpoints in plain Java.
 *
 * <p>Model files are untrusted input: {@link dev.dera.lm.safetensors.SafetensorsFile#open} and
 * {@link dev.dera.lm.safetensors.Checkpoint#open} validate every header completely before returning, and every
 * failure is a {@link dev.dera.lm.safetensors.SafetensorsException} that names the file and, where there is one,
 * the tensor. Tensor data is memory-mapped, never read whole into the heap.
 */
package dev.dera.lm.safetensors;
