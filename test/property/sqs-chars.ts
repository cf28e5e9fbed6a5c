/**
 * SQS accepts #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD (and #x10000-#x10FFFF, which the project
 * escapes as \u surrogate pairs because some implementations check UTF-16 code units).
 * Returns the index of the first code unit outside that set, or -1.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
export function firstSqsForbidden(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok =
      c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd);
    if (!ok) return i;
  }
  return -1;
}
