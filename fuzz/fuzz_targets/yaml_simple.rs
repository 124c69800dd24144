//! The direct reader of simple front matter: whatever it answers,
//! serde_yaml answers the same.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|yaml: &str| {
    if let Some(mapping) = guild::yaml::simple::mapping(yaml) {
        let serde: Result<serde_yaml::Value, _> = serde_yaml::from_str(yaml);
        assert_eq!(Some(serde_yaml::Value::Mapping(mapping)), serde.ok(), "{yaml:?}");
    }
});
