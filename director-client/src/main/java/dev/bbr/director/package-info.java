/**
 * BOSH Director API client for bbr.
 *
 * <p>Entry points: {@link dev.bbr.director.DirectorTarget#parse} and
 * {@link dev.bbr.director.CaCert#parse} (validate user input up front, bbr's messages), then
 * {@link dev.bbr.director.DirectorClient#builder()}. All failures are unchecked
 * {@link dev.bbr.director.DirectorException}s whose messages are safe to print: they never
 * contain passwords, client secrets, tokens or Authorization headers.
 *
 * <p>{@code dev.bbr.director.http} and {@code dev.bbr.director.task} are implementation
 * details (transport, auth, retries, task polling); other modules should not depend on them.
 */
package dev.bbr.director;
