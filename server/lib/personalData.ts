/**
 * Personal data a citizen may type into a report ("我电话13912345678", an ID number, an e-mail),
 * masked wherever free text leaves the staff's hands: log lines and public views.
 */

/** Mainland mobile numbers: kept as 138****5678. */
const MOBILE = /(?:(?<=(?:^|\D)(?:\+?86|0086))|(?<!\d))(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
/** Landlines with area code, e.g. 0571-87654321. */
const LANDLINE = /(?<!\d)(0\d{2,3})-?\d{3,4}(\d{4})(?!\d)/g;
/** Resident ID numbers (18 characters, the last may be X): only the first and last characters stay. */
const RESIDENT_ID =
  /(?<![0-9A-Za-z])(\d)\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}([\dXx])(?![0-9A-Za-z])/g;
/** E-mail addresses: the first character of the name and the domain stay. */
const EMAIL = /([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

export function scrubPhones(text: string): string {
  return text.replace(MOBILE, '$1****$2').replace(LANDLINE, '$1-****$2');
}

export function maskPersonalData(text: string): string {
  return scrubPhones(text.replace(RESIDENT_ID, '$1****************$2').replace(EMAIL, '$1***@$2'));
}
