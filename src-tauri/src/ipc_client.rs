//! The webview's IPC client (`ui/src/ipc.ts`), generated from the commands declared here.
//!
//! The command surface is written once, as the `#[tauri::command]` functions of this crate and
//! their registration in `lib.rs`. This check reads those sources, derives a typed TypeScript
//! function per command (name, argument keys as Tauri expects them, types named as ts-rs exports
//! them, doc comments), and compares the result with the committed client. A stale client is
//! rewritten and the check fails once, naming the file to commit, exactly like the type bindings.
//! It also fails when a command is declared but not registered, or registered but not declared.

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use syn::{FnArg, GenericArgument, Item, Pat, PathArguments, ReturnType, Type};

    /// One command as the webview sees it.
    struct Command {
        name: String,
        docs: Vec<String>,
        args: Vec<Arg>,
        returns: String,
    }

    struct Arg {
        /// The key Tauri expects: the Rust name in camelCase.
        key: String,
        ts: String,
        /// A `Channel<T>`: the client takes a callback and makes the channel itself.
        channel: Option<String>,
    }

    /// Types the shell injects; they never cross IPC.
    const INJECTED: &[&str] = &["State", "AppHandle", "Window", "WebviewWindow"];

    fn camel(name: &str) -> String {
        let mut out = String::new();
        let mut upper = false;
        for c in name.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.extend(c.to_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    }

    fn generics(segment: &syn::PathSegment) -> Vec<&Type> {
        match &segment.arguments {
            PathArguments::AngleBracketed(args) => args
                .args
                .iter()
                .filter_map(|a| match a {
                    GenericArgument::Type(t) => Some(t),
                    _ => None,
                })
                .collect(),
            _ => vec![],
        }
    }

    /// The TypeScript for a Rust type that crosses IPC; named types are imported from the bindings.
    fn ts(ty: &Type, imports: &mut BTreeSet<String>) -> Result<String, String> {
        match ty {
            Type::Tuple(t) if t.elems.is_empty() => Ok("null".into()),
            Type::Reference(r) => ts(&r.elem, imports),
            Type::Path(p) => {
                let segment = p.path.segments.last().ok_or("an empty type path")?;
                let name = segment.ident.to_string();
                let inner = generics(segment);
                let first = |imports: &mut BTreeSet<String>| -> Result<String, String> {
                    ts(inner.first().ok_or_else(|| format!("{name} without a type argument"))?, imports)
                };
                Ok(match name.as_str() {
                    "String" | "str" | "PathBuf" => "string".into(),
                    "bool" => "boolean".into(),
                    "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" | "f32" | "f64" => {
                        "number".into()
                    }
                    "Option" => format!("{} | null", first(imports)?),
                    "Vec" => {
                        let item = first(imports)?;
                        if item.contains(' ') { format!("({item})[]") } else { format!("{item}[]") }
                    }
                    "UiResult" | "Result" => first(imports)?,
                    _ if inner.is_empty() && name.chars().next().is_some_and(char::is_uppercase) => {
                        imports.insert(name.clone());
                        name
                    }
                    _ => return Err(format!("no TypeScript mapping for `{}`", quote_type(ty))),
                })
            }
            _ => Err(format!("no TypeScript mapping for `{}`", quote_type(ty))),
        }
    }

    fn quote_type(ty: &Type) -> String {
        match ty {
            Type::Path(p) => p.path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::"),
            _ => "a non-path type".into(),
        }
    }

    fn docs(attrs: &[syn::Attribute]) -> Vec<String> {
        attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .filter_map(|a| match &a.meta {
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => {
                        Some(s.value().strip_prefix(' ').unwrap_or(&s.value()).replace("*/", "*\\/"))
                    }
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    fn is_command(attrs: &[syn::Attribute]) -> bool {
        attrs.iter().any(|a| {
            let segments: Vec<String> = a.path().segments.iter().map(|s| s.ident.to_string()).collect();
            segments == ["tauri", "command"] || segments == ["command"]
        })
    }

    /// Every `#[tauri::command]` function in the shell's sources, by name.
    fn declared(src: &Path, imports: &mut BTreeSet<String>) -> Vec<Command> {
        let mut files: Vec<_> = std::fs::read_dir(src)
            .expect("the shell's sources can be listed")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        let mut commands = vec![];
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a source file can be read");
            let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{} does not parse: {e}", file.display()));
            for item in parsed.items {
                let Item::Fn(function) = item else { continue };
                if !is_command(&function.attrs) {
                    continue;
                }
                let name = function.sig.ident.to_string();
                let fail = |why: String| -> ! { panic!("command `{name}` in {}: {why}", file.display()) };
                let mut args = vec![];
                for input in &function.sig.inputs {
                    let FnArg::Typed(typed) = input else { fail("a command cannot take self".into()) };
                    let Pat::Ident(ident) = typed.pat.as_ref() else { fail("arguments must be plain names".into()) };
                    let Type::Path(path) = typed.ty.as_ref() else { fail("argument types must be named".into()) };
                    let segment = path.path.segments.last().expect("a type path has a segment");
                    let type_name = segment.ident.to_string();
                    if INJECTED.contains(&type_name.as_str()) {
                        continue;
                    }
                    let key = camel(&ident.ident.to_string());
                    if type_name == "Channel" {
                        let message = generics(segment).first().map(|t| ts(t, imports)).unwrap_or_else(|| Err("Channel without a type".into()));
                        let message = message.unwrap_or_else(|e| fail(e));
                        args.push(Arg { key, ts: format!("(message: {message}) => void"), channel: Some(message) });
                    } else {
                        let ts = ts(&typed.ty, imports).unwrap_or_else(|e| fail(e));
                        args.push(Arg { key, ts, channel: None });
                    }
                }
                let returns = match &function.sig.output {
                    ReturnType::Default => "null".to_string(),
                    ReturnType::Type(_, ty) => ts(ty, imports).unwrap_or_else(|e| fail(e)),
                };
                commands.push(Command { name, docs: docs(&function.attrs), args, returns });
            }
        }
        commands
    }

    /// The commands registered with `generate_handler!` in lib.rs, in order.
    fn registered(lib: &str) -> Vec<String> {
        let start = lib.find("generate_handler![").expect("lib.rs registers its commands with generate_handler!");
        let list = &lib[start + "generate_handler![".len()..];
        let list = &list[..list.find(']').expect("the generate_handler! list is closed")];
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|path| path.rsplit("::").next().expect("split yields at least one part").to_string())
            .collect()
    }

    fn render(commands: &[Command], imports: &BTreeSet<String>) -> String {
        let mut out = String::new();
        out.push_str("// Generated from the studio's Tauri commands (src-tauri/src) by `cargo test -p ensemble-studio`.\n");
        out.push_str("// Do not edit: change the command in Rust, run the tests, commit the result.\n");
        out.push_str("/**\n * The one door to the Rust shell: a typed function per command, so the rest of the studio never\n");
        out.push_str(" * spells a command name or an argument key. Errors arrive as `{ message }` (see `errorMessage`).\n */\n");
        let channels = commands.iter().any(|c| c.args.iter().any(|a| a.channel.is_some()));
        out.push_str(if channels {
            "import { Channel, invoke } from \"@tauri-apps/api/core\";\n"
        } else {
            "import { invoke } from \"@tauri-apps/api/core\";\n"
        });
        for name in imports {
            out.push_str(&format!("import type {{ {name} }} from \"./bindings/{name}\";\n"));
        }
        out.push_str(&format!("\nexport type {{ {} }};\n\n", imports.iter().cloned().collect::<Vec<_>>().join(", ")));
        out.push_str(
            "/** The shell reports errors as `{ message }`; anything else is turned into readable text. */\n\
             export function errorMessage(error: unknown): string {\n\
             \x20 if (typeof error === \"string\") return error;\n\
             \x20 if (error && typeof error === \"object\" && \"message\" in error) {\n\
             \x20   return String((error as { message: unknown }).message);\n\
             \x20 }\n\
             \x20 return String(error);\n\
             }\n\nexport const ipc = {\n",
        );
        for command in commands {
            if !command.docs.is_empty() {
                out.push_str("  /**\n");
                for line in &command.docs {
                    out.push_str(&format!("   *{}{line}\n", if line.is_empty() { "" } else { " " }));
                }
                out.push_str("   */\n");
            }
            let params: Vec<String> = command.args.iter().map(|a| format!("{}: {}", a.key, a.ts)).collect();
            let keys: Vec<String> = command
                .args
                .iter()
                .map(|a| if a.channel.is_some() { format!("{0}: {0}Channel", a.key) } else { a.key.clone() })
                .collect();
            let payload = if keys.is_empty() { String::new() } else { format!(", {{ {} }}", keys.join(", ")) };
            let call = format!("invoke<{}>(\"{}\"{payload})", command.returns, command.name);
            let function = camel(&command.name);
            if command.args.iter().any(|a| a.channel.is_some()) {
                out.push_str(&format!("  {function}: ({}) => {{\n", params.join(", ")));
                for arg in command.args.iter().filter(|a| a.channel.is_some()) {
                    let message = arg.channel.as_deref().expect("filtered on channel");
                    out.push_str(&format!("    const {0}Channel = new Channel<{message}>();\n", arg.key));
                    out.push_str(&format!("    {0}Channel.onmessage = {0};\n", arg.key));
                }
                out.push_str(&format!("    return {call};\n  }},\n"));
            } else {
                out.push_str(&format!("  {function}: ({}) => {call},\n", params.join(", ")));
            }
        }
        out.push_str("};\n");
        out
    }

    #[test]
    fn the_typescript_client_is_generated_from_the_commands() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let src = root.join("src-tauri/src");
        let mut imports = BTreeSet::new();
        let mut commands = declared(&src, &mut imports);
        let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs can be read");
        let order = registered(&lib);

        let names: BTreeSet<&str> = commands.iter().map(|c| c.name.as_str()).collect();
        let listed: BTreeSet<&str> = order.iter().map(String::as_str).collect();
        let unregistered: Vec<&&str> = names.difference(&listed).collect();
        let undeclared: Vec<&&str> = listed.difference(&names).collect();
        assert!(unregistered.is_empty(), "commands declared but not registered in lib.rs's generate_handler!: {unregistered:?}");
        assert!(undeclared.is_empty(), "commands registered but not declared with #[tauri::command]: {undeclared:?}");
        assert!(commands.len() > 10, "expected the whole command surface, found {}", commands.len());
        commands.sort_by_key(|c| order.iter().position(|n| n == &c.name));

        let client = render(&commands, &imports);
        let target = root.join("ui/src/ipc.ts");
        if std::fs::read_to_string(&target).ok().as_deref() != Some(client.as_str()) {
            std::fs::write(&target, &client).expect("ui/src/ipc.ts is writable");
            panic!(
                "ui/src/ipc.ts was out of date with the shell's commands; it was regenerated just now \
                 (by `cargo test -p ensemble-studio`): review and commit it"
            );
        }
    }

    #[test]
    fn types_map_to_typescript_as_ts_rs_names_them() {
        let mut imports = BTreeSet::new();
        let ty = |s: &str| syn::parse_str::<Type>(s).expect("a test type parses");
        assert_eq!(ts(&ty("UiResult<Vec<Summary>>"), &mut imports).as_deref(), Ok("Summary[]"));
        assert_eq!(ts(&ty("Option<String>"), &mut imports).as_deref(), Ok("string | null"));
        assert_eq!(ts(&ty("Vec<Option<u64>>"), &mut imports).as_deref(), Ok("(number | null)[]"));
        assert_eq!(ts(&ty("UiResult<()>"), &mut imports).as_deref(), Ok("null"));
        assert!(ts(&ty("HashMap<String, u8>"), &mut imports).is_err(), "an unmapped generic type is refused, not guessed");
        assert_eq!(imports.into_iter().collect::<Vec<_>>(), vec!["Summary".to_string()]);
        assert_eq!(camel("performance_events"), "performanceEvents");
    }
}
