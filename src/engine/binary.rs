//! The binary checkpoint encoding: serde's data model in tagged bytes, read without a tree.
//!
//! A checkpoint of format 2 is [`MAGIC`] followed by one value in this encoding (the same
//! checkpoint struct, and so the same [`ModelDocument`](crate::ModelDocument), that format 1
//! writes as JSON). Every value starts with a tag byte:
//!
//! ```text
//! tag  value                 then
//!   0  null / None / unit    -
//!   1  false                 -
//!   2  true                  -
//!   3  unsigned integer      LEB128 varint
//!   4  negative integer      zigzag LEB128 varint
//!   5  float                 8 bytes, f64 little-endian
//!   6  string                varint length, UTF-8 bytes
//!   7  sequence              values, then END
//!   8  map (and struct)      key, value pairs, then END
//!   9  string, remembered    varint length, UTF-8 bytes; the next table index names it
//!  10  remembered string     varint index into the table
//!  11  bytes                 varint length, bytes
//!  12  END                   closes the innermost sequence or map
//! ```
//!
//! Why this shape: it is self-describing like JSON, so every document type reads through its
//! existing strict, derived (or hand-written `deserialize_any`) reader and the model read back
//! is exactly the one written, with no per-family encoder to keep in step with the document.
//! What makes JSON slow to read is gone: a string is a length and bytes (no escapes to scan
//! for, borrowed straight from the buffer), a number is a varint (no decimal parsing), and a
//! field name is written once and then named by a one- or two-byte index. Containers end
//! with END rather than a count, so a length read from the file is never used to allocate:
//! every collection grows as its elements are read, and a string's length is checked
//! against the bytes left before it is sliced.
//!
//! The reader is bounded: nesting deeper than [`MAX_DEPTH`] (the JSON reader's limit) is
//! refused, the table of remembered strings holds at most [`MAX_KEYS`], and every error is
//! a [`BinError`] with the offset where reading stopped.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::ser::{self, Serialize};

/// The bytes that open a binary checkpoint: a JSON checkpoint starts with `{`, and no UTF-8
/// text starts with 0xFF, so the two formats cannot be mistaken for each other.
pub(crate) const MAGIC: &[u8] = b"\xFForgperm-checkpoint\n";

/// The deepest nesting of sequences and maps read (as serde_json's reader allows).
pub(crate) const MAX_DEPTH: usize = 128;

/// The most strings the writer remembers (field names and map keys); past it a key is
/// written as a plain string.
pub(crate) const MAX_KEYS: usize = 1 << 16;

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const UINT: u8 = 3;
const NINT: u8 = 4;
const FLOAT: u8 = 5;
const STR: u8 = 6;
const SEQ: u8 = 7;
const MAP: u8 = 8;
const KEY_DEF: u8 = 9;
const KEY_REF: u8 = 10;
const BYTES: u8 = 11;
const END: u8 = 12;

/// An error writing or reading the binary encoding: what went wrong and, when reading, the
/// offset in the decoded bytes where it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BinError {
    pub(crate) offset: Option<usize>,
    pub(crate) message: String,
}

impl BinError {
    fn at(offset: usize, message: impl Into<String>) -> BinError {
        BinError {
            offset: Some(offset),
            message: message.into(),
        }
    }
}

impl fmt::Display for BinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BinError {}

impl ser::Error for BinError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        BinError {
            offset: None,
            message: crate::error::bounded(&msg.to_string()).to_string(),
        }
    }
}

impl de::Error for BinError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        BinError {
            offset: None,
            message: crate::error::bounded(&msg.to_string()).to_string(),
        }
    }
}

/// Writes `value` to `out` in the binary encoding, buffered in blocks of `BLOCK` bytes.
pub(crate) fn to_writer<W: Write, T: Serialize + ?Sized>(out: W, value: &T) -> Result<W, BinError> {
    let mut enc = Encoder {
        buf: Vec::with_capacity(BLOCK + 1024),
        out,
        keys: HashMap::new(),
        in_key: false,
    };
    value.serialize(&mut enc)?;
    enc.flush()?;
    Ok(enc.out)
}

const BLOCK: usize = 1 << 16;

struct Encoder<W: Write> {
    buf: Vec<u8>,
    out: W,
    keys: HashMap<String, u32>,
    /// The next string is a map key or field name: remember it.
    in_key: bool,
}

impl<W: Write> Encoder<W> {
    fn flush(&mut self) -> Result<(), BinError> {
        self.out
            .write_all(&self.buf)
            .map_err(<BinError as ser::Error>::custom)?;
        self.buf.clear();
        Ok(())
    }

    fn maybe_flush(&mut self) -> Result<(), BinError> {
        if self.buf.len() >= BLOCK {
            self.flush()?;
        }
        Ok(())
    }

    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
    }

    fn tagged(&mut self, tag: u8, v: u64) -> Result<(), BinError> {
        self.buf.push(tag);
        self.varint(v);
        self.maybe_flush()
    }

    fn bytes(&mut self, tag: u8, b: &[u8]) -> Result<(), BinError> {
        self.buf.push(tag);
        self.varint(b.len() as u64);
        if b.len() >= BLOCK {
            self.flush()?;
            self.out
                .write_all(b)
                .map_err(<BinError as ser::Error>::custom)?;
            return Ok(());
        }
        self.buf.extend_from_slice(b);
        self.maybe_flush()
    }

    fn key(&mut self, k: &str) -> Result<(), BinError> {
        if let Some(&i) = self.keys.get(k) {
            return self.tagged(KEY_REF, u64::from(i));
        }
        if self.keys.len() < MAX_KEYS {
            let next = self.keys.len() as u32;
            self.keys.insert(k.to_owned(), next);
            return self.bytes(KEY_DEF, k.as_bytes());
        }
        self.bytes(STR, k.as_bytes())
    }

    fn end(&mut self) -> Result<(), BinError> {
        self.buf.push(END);
        self.maybe_flush()
    }
}

impl<W: Write> ser::Serializer for &mut Encoder<W> {
    type Ok = ();
    type Error = BinError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), BinError> {
        self.buf.push(if v { TRUE } else { FALSE });
        self.maybe_flush()
    }
    fn serialize_i8(self, v: i8) -> Result<(), BinError> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), BinError> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), BinError> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), BinError> {
        // A non-negative integer is the unsigned form, as JSON reads it back.
        match u64::try_from(v) {
            Ok(u) => self.tagged(UINT, u),
            Err(_) => self.tagged(NINT, ((v << 1) ^ (v >> 63)) as u64),
        }
    }
    fn serialize_u8(self, v: u8) -> Result<(), BinError> {
        self.tagged(UINT, u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), BinError> {
        self.tagged(UINT, u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), BinError> {
        self.tagged(UINT, u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), BinError> {
        self.tagged(UINT, v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), BinError> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), BinError> {
        self.buf.push(FLOAT);
        self.buf.extend_from_slice(&v.to_le_bytes());
        self.maybe_flush()
    }
    fn serialize_char(self, v: char) -> Result<(), BinError> {
        self.serialize_str(v.encode_utf8(&mut [0u8; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), BinError> {
        if std::mem::take(&mut self.in_key) {
            return self.key(v);
        }
        self.bytes(STR, v.as_bytes())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), BinError> {
        self.bytes(BYTES, v)
    }
    fn serialize_none(self) -> Result<(), BinError> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), BinError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), BinError> {
        self.buf.push(NULL);
        self.maybe_flush()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), BinError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), BinError> {
        self.key(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), BinError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), BinError> {
        self.buf.push(MAP);
        self.key(variant)?;
        value.serialize(&mut *self)?;
        self.end()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, BinError> {
        self.buf.push(SEQ);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, BinError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self, BinError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, BinError> {
        self.buf.push(MAP);
        self.key(variant)?;
        self.buf.push(SEQ);
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, BinError> {
        self.buf.push(MAP);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, BinError> {
        self.buf.push(MAP);
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, BinError> {
        self.buf.push(MAP);
        self.key(variant)?;
        self.buf.push(MAP);
        Ok(self)
    }
}

impl<W: Write> ser::SerializeSeq for &mut Encoder<W> {
    type Ok = ();
    type Error = BinError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BinError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), BinError> {
        Encoder::end(self)
    }
}

impl<W: Write> ser::SerializeTuple for &mut Encoder<W> {
    type Ok = ();
    type Error = BinError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BinError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), BinError> {
        Encoder::end(self)
    }
}

impl<W: Write> ser::SerializeTupleStruct for &mut Encoder<W> {
    type Ok = ();
    type Error = BinError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BinError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), BinError> {
        Encoder::end(self)
    }
}

impl<W: Write> ser::SerializeTupleVariant for &mut Encoder<W> {
    type Ok = ();
    type Error = BinError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BinError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), BinError> {
        // The sequence, then the one-entry map around it.
        Encoder::end(self)?;
        Encoder::end(self)
    }
}

impl<W: Write> ser::SerializeMap for &mut Encoder<W> {
    type Ok = ();
    type Error = BinError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), BinError> {
        self.in_key = true;
        let written = key.serialize(&mut **self);
        self.in_key = false;
        written
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BinError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), BinError> {
        Encoder::end(self)
    }
}

impl<W: Write> ser::SerializeStruct for &mut Encoder<W> {
    type Ok = ();
    type Error = BinError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), BinError> {
        self.key(key)?;
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), BinError> {
        Encoder::end(self)
    }
}

impl<W: Write> ser::SerializeStructVariant for &mut Encoder<W> {
    type Ok = ();
    type Error = BinError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), BinError> {
        self.key(key)?;
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), BinError> {
        // The fields' map, then the one-entry map around it.
        Encoder::end(self)?;
        Encoder::end(self)
    }
}

/// Reads one value of type `T` from `bytes`, which must hold exactly that value.
pub(crate) fn from_slice<'de, T: de::Deserialize<'de>>(bytes: &'de [u8]) -> Result<T, BinError> {
    let mut de = Decoder {
        bytes,
        pos: 0,
        keys: Vec::new(),
        depth: 0,
    };
    let value = T::deserialize(&mut de).map_err(|e| BinError {
        offset: e.offset.or(Some(de.pos)),
        message: e.message,
    })?;
    if de.pos != bytes.len() {
        return Err(BinError::at(de.pos, "bytes after the checkpoint's value"));
    }
    Ok(value)
}

struct Decoder<'de> {
    bytes: &'de [u8],
    pos: usize,
    /// The remembered strings, in the order they were defined.
    keys: Vec<&'de str>,
    /// Sequences and maps open around the value being read.
    depth: usize,
}

impl<'de> Decoder<'de> {
    fn error(&self, message: impl Into<String>) -> BinError {
        BinError::at(self.pos, message)
    }

    fn peek(&self) -> Result<u8, BinError> {
        self.bytes
            .get(self.pos)
            .copied()
            .ok_or_else(|| self.error("the checkpoint ends inside a value"))
    }

    fn byte(&mut self) -> Result<u8, BinError> {
        let b = self.peek()?;
        self.pos += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, BinError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            let part = u64::from(b & 0x7F);
            if shift == 63 && part > 1 {
                return Err(self.error("a varint overflows 64 bits"));
            }
            v |= part << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.error("a varint overflows 64 bits"))
    }

    /// `len` bytes, after checking that many are left.
    fn take(&mut self, len: u64) -> Result<&'de [u8], BinError> {
        let left = self.bytes.len() - self.pos.min(self.bytes.len());
        let len = usize::try_from(len)
            .ok()
            .filter(|&n| n <= left)
            .ok_or_else(|| self.error("a length runs past the end of the checkpoint"))?;
        let bytes = self.bytes;
        let out = bytes
            .get(self.pos..self.pos + len)
            .ok_or_else(|| self.error("a length runs past the end of the checkpoint"))?;
        self.pos += len;
        Ok(out)
    }

    fn str_body(&mut self) -> Result<&'de str, BinError> {
        let start = self.pos;
        let len = self.varint()?;
        let raw = self.take(len)?;
        std::str::from_utf8(raw).map_err(|_| BinError::at(start, "a string is not UTF-8"))
    }

    /// A string in any of its three forms, the tag already read.
    fn string(&mut self, tag: u8) -> Result<Option<&'de str>, BinError> {
        match tag {
            STR => self.str_body().map(Some),
            KEY_DEF => {
                let s = self.str_body()?;
                if self.keys.len() >= MAX_KEYS {
                    return Err(self.error("too many remembered strings"));
                }
                self.keys.push(s);
                Ok(Some(s))
            }
            KEY_REF => {
                let at = self.pos;
                let i = self.varint()?;
                usize::try_from(i)
                    .ok()
                    .and_then(|i| self.keys.get(i).copied())
                    .map(Some)
                    .ok_or_else(|| BinError::at(at, format!("no remembered string {i}")))
            }
            _ => Ok(None),
        }
    }

    fn enter(&mut self) -> Result<(), BinError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(format!("nesting deeper than {MAX_DEPTH}")));
        }
        self.depth += 1;
        Ok(())
    }

    /// Consumes END if it is next.
    fn at_end(&mut self) -> Result<bool, BinError> {
        if self.peek()? == END {
            self.pos += 1;
            return Ok(true);
        }
        Ok(false)
    }
}

impl<'de> de::Deserializer<'de> for &mut Decoder<'de> {
    type Error = BinError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, BinError> {
        let start = self.pos;
        let tag = self.byte()?;
        if let Some(s) = self.string(tag)? {
            return visitor.visit_borrowed_str(s);
        }
        match tag {
            NULL => visitor.visit_unit(),
            FALSE => visitor.visit_bool(false),
            TRUE => visitor.visit_bool(true),
            UINT => visitor.visit_u64(self.varint()?),
            NINT => {
                let z = self.varint()?;
                visitor.visit_i64(((z >> 1) as i64) ^ -((z & 1) as i64))
            }
            FLOAT => {
                let raw = self.take(8)?;
                let mut b = [0u8; 8];
                b.copy_from_slice(raw);
                visitor.visit_f64(f64::from_le_bytes(b))
            }
            BYTES => {
                let len = self.varint()?;
                visitor.visit_borrowed_bytes(self.take(len)?)
            }
            SEQ => {
                self.enter()?;
                let value = visitor.visit_seq(Elements { de: &mut *self })?;
                if !self.at_end()? {
                    return Err(self.error("a sequence has more elements than were read"));
                }
                self.depth -= 1;
                Ok(value)
            }
            MAP => {
                self.enter()?;
                let value = visitor.visit_map(Entries { de: &mut *self })?;
                if !self.at_end()? {
                    return Err(self.error("a map has more entries than were read"));
                }
                self.depth -= 1;
                Ok(value)
            }
            other => Err(BinError::at(start, format!("no value has tag {other}"))),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, BinError> {
        if self.peek()? == NULL {
            self.pos += 1;
            return visitor.visit_none();
        }
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, BinError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, BinError> {
        let start = self.pos;
        let tag = self.byte()?;
        if let Some(s) = self.string(tag)? {
            // A unit variant, named.
            return visitor.visit_enum(s.into_deserializer());
        }
        if tag != MAP {
            return Err(BinError::at(start, "an enum is a name or a one-entry map"));
        }
        self.enter()?;
        let value = visitor.visit_enum(Variant { de: &mut *self })?;
        if !self.at_end()? {
            return Err(self.error("an enum's map has more than one entry"));
        }
        self.depth -= 1;
        Ok(value)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

struct Elements<'a, 'de> {
    de: &'a mut Decoder<'de>,
}

impl<'de> de::SeqAccess<'de> for Elements<'_, 'de> {
    type Error = BinError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, BinError> {
        if self.de.peek()? == END {
            return Ok(None);
        }
        seed.deserialize(&mut *self.de).map(Some)
    }
}

struct Entries<'a, 'de> {
    de: &'a mut Decoder<'de>,
}

impl<'de> de::MapAccess<'de> for Entries<'_, 'de> {
    type Error = BinError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, BinError> {
        if self.de.peek()? == END {
            return Ok(None);
        }
        seed.deserialize(&mut *self.de).map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, BinError> {
        seed.deserialize(&mut *self.de)
    }
}

struct Variant<'a, 'de> {
    de: &'a mut Decoder<'de>,
}

impl<'de> de::EnumAccess<'de> for Variant<'_, 'de> {
    type Error = BinError;
    type Variant = Self;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), BinError> {
        let name = seed.deserialize(&mut *self.de)?;
        Ok((name, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_, 'de> {
    type Error = BinError;
    fn unit_variant(self) -> Result<(), BinError> {
        de::Deserialize::deserialize(&mut *self.de)
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, BinError> {
        seed.deserialize(&mut *self.de)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, BinError> {
        de::Deserializer::deserialize_any(&mut *self.de, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, BinError> {
        de::Deserializer::deserialize_any(&mut *self.de, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Sample {
        name: String,
        count: u64,
        delta: i64,
        ratio: f64,
        flag: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        maybe: Option<String>,
        list: Vec<Sample>,
        shape: Shape,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum Shape {
        Dot,
        Line(u32),
        Box { w: u32, h: u32 },
        Pair(u8, i8),
    }

    fn sample() -> Sample {
        let leaf = |i: u64| Sample {
            name: format!("leaf \"{i}\"\n"),
            count: i << 40,
            delta: -(i as i64) - 1,
            ratio: i as f64 / 3.0,
            flag: i % 2 == 0,
            maybe: (i % 3 == 0).then(|| "x".to_string()),
            list: Vec::new(),
            shape: match i % 4 {
                0 => Shape::Dot,
                1 => Shape::Line(i as u32),
                2 => Shape::Box { w: 1, h: 2 },
                _ => Shape::Pair(255, -128),
            },
        };
        Sample {
            list: (0..9).map(leaf).collect(),
            ..leaf(7)
        }
    }

    fn encode<T: Serialize>(v: &T) -> Vec<u8> {
        to_writer(Vec::new(), v).unwrap()
    }

    #[test]
    fn values_round_trip_and_field_names_are_written_once() {
        let s = sample();
        let bytes = encode(&s);
        assert_eq!(from_slice::<Sample>(&bytes).unwrap(), s);
        let names = bytes.windows(5).filter(|w| w == b"count").count();
        assert_eq!(names, 1, "a field name is remembered after its first use");
    }

    #[test]
    fn every_cut_and_every_flipped_tag_is_an_error_not_a_panic() {
        let bytes = encode(&sample());
        for cut in 0..bytes.len() {
            let e = from_slice::<Sample>(bytes.get(..cut).unwrap()).unwrap_err();
            assert!(e.offset.is_some_and(|o| o <= cut), "{e:?} at cut {cut}");
        }
        for i in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xFF] {
                let mut bad = bytes.clone();
                *bad.get_mut(i).unwrap() ^= flip;
                // Either refused or read as some value: never a panic.
                let _ = from_slice::<Sample>(&bad);
            }
        }
        let mut longer = bytes.clone();
        longer.push(NULL);
        assert!(from_slice::<Sample>(&longer).is_err());
    }

    #[test]
    fn a_huge_length_is_refused_before_anything_is_allocated() {
        let mut bytes = vec![STR];
        bytes.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]);
        let e = from_slice::<String>(&bytes).unwrap_err();
        assert!(e.message.contains("past the end"), "{e}");
        let overflow = [
            UINT, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F,
        ];
        assert!(from_slice::<u64>(&overflow).is_err());
        assert!(from_slice::<String>(&[KEY_REF, 0]).is_err());
    }

    #[test]
    fn nesting_is_bounded() {
        let deep: Vec<u8> = std::iter::repeat_n(SEQ, MAX_DEPTH + 1)
            .chain(std::iter::repeat_n(END, MAX_DEPTH + 1))
            .collect();
        let e = from_slice::<serde::de::IgnoredAny>(&deep).unwrap_err();
        assert!(e.message.contains("nesting"), "{e}");
        let ok: Vec<u8> = std::iter::repeat_n(SEQ, MAX_DEPTH)
            .chain(std::iter::repeat_n(END, MAX_DEPTH))
            .collect();
        assert!(from_slice::<serde::de::IgnoredAny>(&ok).is_ok());
    }
}
