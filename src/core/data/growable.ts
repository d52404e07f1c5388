/**
 * Typed arrays that grow by doubling while rows stream in, so a million rows cost a few
 * reallocations instead of a million small objects.
 */
type TypedArray = Int32Array | Float64Array | Float32Array;
type TypedArrayConstructor<T extends TypedArray> = new (length: number) => T;

export class GrowableArray<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(
    private readonly make: TypedArrayConstructor<T>,
    capacity = 1024,
  ) {
    this.data = new make(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new this.make(this.data.length * 2);
      bigger.set(this.data as never);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  /** A right-sized copy of the values pushed so far. */
  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }
}
