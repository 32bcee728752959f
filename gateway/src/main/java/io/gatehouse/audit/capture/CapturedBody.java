package io.gatehouse.audit.capture;

/**
 * What a {@link BodyTap} took of one body, handed from the event loop to a scrubbing worker: the first
 * {@code length} bytes of {@code prefix} (raw, so this never reaches a log as it is), the whole body's size and
 * keyed HMAC. The array is handed over, not copied: nothing else holds it.
 *
 * @param contentEncoding the body's {@code Content-Encoding}; null for none
 * @param budgetSpent copying stopped early because the capture budget was spent
 */
record CapturedBody(BodyPart part, String contentType, String contentEncoding, byte[] prefix, int length, long size,
    byte[] hmac, boolean budgetSpent) {}
