//! What the inbox asks of the database: rows and counts for a [`Clause`],
//! the filter menus' values, the newest rows as JSON, and marking an
//! answer followed up. Every statement is written once with `$N`
//! placeholders, which both drivers accept; no value is spliced into SQL
//! text. New posts are not written here (see `writer`).

use serde_json::{json, Value};
use sqlx::Row;

use super::clause::{Clause, Param};
use super::{columns, Db, Entry, Pools};

/// How [`Db::effort_grid`] groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grid {
    Agent,
    Week,
}

/// [`crate::clock::week_of`] in SQL (integer division in both databases).
const WEEK_OF_RECEIVED: &str = "((received_ms + 259200000) / 604800000)";

impl Db {
    /// The newest `limit` rows as the JSON the e2e tests and scripts read:
    /// `{payload, idempotencyKey, receivedAt, deliveries}`.
    pub async fn recent_json(&self, clause: &Clause, limit: i64) -> Result<Vec<Value>, sqlx::Error> {
        let mut params = clause.params.clone();
        params.push(Param::Int(limit));
        let sql = format!(
            "SELECT body, idempotency_key, received_at, deliveries FROM responses WHERE {}
             ORDER BY received_ms DESC, id DESC LIMIT ${}",
            clause.sql,
            params.len()
        );
        on_pool!(&self.pools, read, |pool| {
            let rows = bound!(&sql, &params).fetch_all(pool).await?;
            rows.iter()
                .map(|row| {
                    let body: String = row.try_get("body")?;
                    Ok(json!({
                        "payload": serde_json::from_str::<Value>(&body).unwrap_or(Value::Null),
                        "idempotencyKey": row.try_get::<Option<String>, _>("idempotency_key")?,
                        "receivedAt": row.try_get::<String, _>("received_at")?,
                        "deliveries": row.try_get::<i64, _>("deliveries")?,
                    }))
                })
                .collect()
        })
    }

    /// Rows matching `clause`, in `order`, at most `limit`.
    pub async fn entries(&self, clause: &Clause, order: &str, limit: i64) -> Result<Vec<Entry>, sqlx::Error> {
        let mut params = clause.params.clone();
        params.push(Param::Int(limit));
        let sql = format!(
            "SELECT {} FROM responses WHERE {} ORDER BY {order} LIMIT ${}",
            columns::select_list(),
            clause.sql,
            params.len()
        );
        on_pool!(&self.pools, read, |pool| {
            let rows = bound!(&sql, &params).fetch_all(pool).await?;
            rows.iter().map(Entry::from_row).collect()
        })
    }

    /// How many conversations matching `clause` have each value of the
    /// column `group` (NULL as `None`), each counted by its latest row (a
    /// row without a conversation, or with an empty one, on its own): a
    /// conversation decided again, its chat view mounted again, is one
    /// customer, not two, even when its reasons changed.
    pub async fn count_by(&self, group: &str, clause: &Clause) -> Result<Vec<(Option<String>, i64)>, sqlx::Error> {
        let sql = format!(
            "SELECT {group} AS key, count(*) AS n FROM (
                 SELECT {group}, ROW_NUMBER() OVER (
                     PARTITION BY COALESCE('c:' || NULLIF(conversation_id, ''), 'i:' || id)
                     ORDER BY received_at DESC, id DESC) AS nth
                 FROM responses WHERE {}
             ) AS latest WHERE nth = 1 GROUP BY {group} ORDER BY {group}",
            clause.sql
        );
        on_pool!(&self.pools, read, |pool| {
            let rows = bound!(&sql, &clause.params).fetch_all(pool).await?;
            rows.iter().map(|row| Ok((row.try_get("key")?, row.try_get("n")?))).collect()
        })
    }

    /// Scored answers matching `clause`, counted per agent (`Grid::Agent`)
    /// or per Monday-based week number (`Grid::Week`) and per effort 1-7.
    pub async fn effort_grid(&self, grid: Grid, clause: &Clause) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
        let label = match grid {
            Grid::Agent => "COALESCE(agent_id, '')",
            Grid::Week => WEEK_OF_RECEIVED,
        };
        let sql = format!(
            "SELECT {label} AS label, effort, count(*) AS n FROM responses WHERE {} AND effort IS NOT NULL
             GROUP BY {label}, effort ORDER BY {label}, effort",
            clause.sql
        );
        on_pool!(&self.pools, read, |pool| {
            let rows = bound!(&sql, &clause.params).fetch_all(pool).await?;
            rows.iter()
                .map(|row| {
                    let label = match grid {
                        Grid::Agent => row.try_get::<String, _>("label")?,
                        Grid::Week => row.try_get::<i64, _>("label")?.to_string(),
                    };
                    Ok((label, row.try_get("effort")?, row.try_get("n")?))
                })
                .collect()
        })
    }

    /// Distinct non-empty values of a column, for the filter menus.
    pub async fn distinct(&self, column: &str) -> Result<Vec<String>, sqlx::Error> {
        let sql = format!(
            "SELECT DISTINCT {column} AS v FROM responses WHERE {column} IS NOT NULL AND {column} <> '' ORDER BY v LIMIT 500"
        );
        on_pool!(&self.pools, read, |pool| {
            let rows = sqlx::query(&sql).fetch_all(pool).await?;
            rows.iter().map(|row| row.try_get("v")).collect()
        })
    }

    /// Marks the answers matching `clause` (one id, in the reader's scope)
    /// followed up by `by`, once; false if there is no such open follow-up.
    pub async fn mark_followed_up(&self, clause: &Clause, by: &str, at_ms: i64) -> Result<bool, sqlx::Error> {
        let mut params = clause.params.clone();
        params.extend([Param::Int(at_ms), Param::Text(by.to_owned()), Param::Bool(true)]);
        let n = clause.params.len();
        let sql = format!(
            "UPDATE responses SET followed_up_ms = ${}, followed_up_by = ${}
             WHERE {} AND follow_up = ${} AND followed_up_ms IS NULL",
            n + 1,
            n + 2,
            clause.sql,
            n + 3
        );
        on_pool!(&self.pools, write, |pool| {
            let done = bound!(&sql, &params).execute(pool).await?;
            Ok(done.rows_affected() == 1)
        })
    }
}
