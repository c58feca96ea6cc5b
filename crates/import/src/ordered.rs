//! A mapping read in the order of the file. CrewAI runs tasks in the order `tasks.yaml` lists
//! them, so the top level of its files must keep its order; `serde_json`'s own map sorts keys.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;

/// The entries of a mapping, in file order. The YAML parser refuses a key given twice, so each
/// name is here once.
#[derive(Debug, Default)]
pub(crate) struct Ordered {
    pub entries: Vec<(String, Value)>,
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Ordered;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of names to settings")
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::default())
            }
            fn visit_none<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut out = Ordered::default();
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    out.entries.push(entry);
                }
                Ok(out)
            }
        }
        deserializer.deserialize_any(Entries)
    }
}
