//! A `WHERE` clause built at run time: SQL text with `$N` placeholders
//! and the values that go with them, never values spliced into the text.
//! It knows nothing of the inbox's filters (`inbox::filters` builds
//! clauses) and runs nothing (`inbox_queries` does).

/// A value for a `$N` placeholder of a statement built at run time.
#[derive(Clone, Debug)]
pub enum Param {
    Text(String),
    Int(i64),
    Bool(bool),
}

/// Binds `$params` (a `&[Param]`) to `$sql`'s placeholders, in order.
macro_rules! bound {
    ($sql:expr, $params:expr) => {{
        let mut query = sqlx::query($sql);
        for param in $params {
            query = match param {
                Param::Text(s) => query.bind(s.as_str()),
                Param::Int(i) => query.bind(*i),
                Param::Bool(b) => query.bind(*b),
            };
        }
        query
    }};
}

/// A WHERE clause with its parameters.
#[derive(Clone)]
pub struct Clause {
    pub sql: String,
    pub params: Vec<Param>,
}

impl Clause {
    pub fn new() -> Clause {
        Clause { sql: "1 = 1".into(), params: Vec::new() }
    }

    /// Adds `AND (<condition>)`, where each `?` in `condition` stands for
    /// the next of `params`.
    pub fn and(&mut self, condition: &str, params: impl IntoIterator<Item = Param>) -> &mut Self {
        let mut params = params.into_iter();
        self.sql.push_str(" AND (");
        for (i, piece) in condition.split('?').enumerate() {
            if i > 0 {
                let param = params.next().expect("a parameter for each ?");
                self.params.push(param);
                self.sql.push_str(&format!("${}", self.params.len()));
            }
            self.sql.push_str(piece);
        }
        self.sql.push(')');
        debug_assert!(params.next().is_none(), "a ? for each parameter");
        self
    }
}

impl Default for Clause {
    fn default() -> Self {
        Clause::new()
    }
}
