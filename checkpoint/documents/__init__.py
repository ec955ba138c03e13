"""Reading travel documents: MRZ, barcodes and the portrait. No Qt, no database."""
