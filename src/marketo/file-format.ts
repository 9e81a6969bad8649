/** The three delimiters Marketo's bulk import accepts, named as its `format` parameter names them. */
export type FileFormat = 'csv' | 'tsv' | 'ssv';

export const DELIMITERS: Record<FileFormat, string> = { csv: ',', tsv: '\t', ssv: ';' };

/** RFC 4180 line ending; Marketo accepts LF or CRLF, and CRLF is what the RFC specifies. */
export const RECORD_DELIMITER = '\r\n';
