/** File output that never leaves half-written files, and the user-facing error type. */
package scnn.core.io;
